import GTID
import Testing
@testable import Failover

@Suite("Run machine: the four runbooks, step by step")
struct RunMachineTests {
    @Test("A failover completes with every step verified", arguments: RunbookKind.allCases)
    func completes(_ kind: RunbookKind) throws {
        var driver = RunDriver.fresh(kind, world: try FakeWorld.standard(kind))
        let stop = driver.run()
        #expect(stop == .finished)
        #expect(driver.machine.outcome == .completed)
        #expect(driver.finishes == [.completed])
        let mutating = driver.machine.header.steps.filter { !$0.isReadOnly }
        #expect(driver.world.performed == mutating, "each changing step performed once, in order")
        #expect(driver.world.blindRepeats.isEmpty)
        #expect(driver.world.tasks.allSatisfy { $0.stage == .running })
        switch kind {
        case .v2VIP, .v1VIP: #expect(driver.world.vipTarget == .db2)
        case .v2Address: #expect(driver.world.source?.address == .db2)
        case .v1Address: #expect(driver.world.inventoryAddress == .db2)
        }
        #expect(driver.logs.last?.sentence == "Failover run-1 from db1:3306 to db2:3306 completed: DM reads from db2:3306.")
        #expect(driver.outcomes.count == driver.machine.header.steps.count)
    }

    @Test("Every step's intent is on disk before the step is performed")
    func writeAhead() throws {
        var driver = RunDriver.fresh(.v2VIP, world: try FakeWorld.standard(.v2VIP))
        var journaled: [JournalRecord] = []
        driver.run(crashBefore: { _, action in
            switch action {
            case .persist(let record): journaled.append(record)
            case .execute(_, let step, _):
                guard case .stepIntent(let intent) = journaled.last else {
                    Issue.record("\(step.name) was performed without its intent just before it")
                    return false
                }
                #expect(intent.step == step)
            default: break
            }
            return false
        })
        #expect(driver.machine.outcome == .completed)
    }

    @Test("Event by event: start, query-status, check, then the first pause")
    func eventByEvent() throws {
        let world = try FakeWorld.standard(.v2VIP)
        var machine = RunDriver.fresh(.v2VIP, world: world).machine
        var actions = machine.start(at: t0)
        #expect(actions.count == 5)
        guard case .persist(.runStarted(let header)) = actions[0], case .persist(.stepIntent(let intent)) = actions[2],
              case .gather(let first, let request, let deadline) = actions[4] else {
            Issue.record("unexpected start actions \(actions)")
            return
        }
        #expect(header.id == RunID("run-1"))
        #expect(intent.step == .queryStatus)
        #expect(request == EvidenceRequest(dmStatus: true))
        #expect(deadline == t0 + .seconds(60))
        #expect(machine.phase == .verifyingEffect)

        actions = machine.evidenceGathered(Evidence(dmStatus: world.dmStatus), for: first, at: t0 + .seconds(1))
        guard case .persist(.stepOutcome(_, .succeeded, let detail)) = actions[0], case .gather(let second, let checkRequest, _) = actions.last else {
            Issue.record("unexpected actions \(actions)")
            return
        }
        #expect(detail == "the syncer checkpoint of task billing: \(UUID.a):1-100; the syncer checkpoint of task orders: \(UUID.a):1-100")
        #expect(checkRequest == EvidenceRequest(dmStatus: true, instances: [.db2, .db3]), "a failover does not probe its dead upstream again")

        var evidence = Evidence(dmStatus: world.dmStatus, instances: [.db2, .db3].map(world.observation))
        actions = machine.evidenceGathered(evidence, for: second, at: t0 + .seconds(2))
        #expect(machine.phase == .verifyingPrecondition)
        #expect(machine.currentStep == .pauseTask("orders"))
        guard case .gather(let third, _, _) = actions.last else {
            Issue.record("expected a precondition request, got \(actions)")
            return
        }
        #expect(machine.evidenceGathered(evidence, for: first, at: t0 + .seconds(3)).isEmpty, "a stale answer is ignored")
        actions = machine.evidenceGathered(Evidence(dmStatus: world.dmStatus), for: third, at: t0 + .seconds(3))
        guard actions.count == 3, case .persist(.stepIntent) = actions[0], case .execute(let fourth, .pauseTask("orders"), _) = actions[2] else {
            Issue.record("expected intent then execute, got \(actions)")
            return
        }
        #expect(machine.phase == .executing)
        actions = machine.stepFinished(.succeeded, for: fourth, at: t0 + .seconds(4))
        guard case .gather(let fifth, _, _) = actions.last else {
            Issue.record("expected an effect request, got \(actions)")
            return
        }
        evidence = Evidence(dmStatus: world.dmStatus)
        actions = machine.evidenceGathered(evidence, for: fifth, at: t0 + .seconds(5))
        #expect(machine.phase == .waitingToRetry, "the fake world was not changed, so the effect is missing")
        #expect(machine.nextWakeUp == t0 + .seconds(7))
        guard case .persist(.stepOutcome(_, .failed(let why, let retryAt), _)) = actions.first else {
            Issue.record("expected a failed outcome, got \(actions)")
            return
        }
        #expect(why == "Task orders is Running, not Paused.")
        #expect(retryAt == t0 + .seconds(7))
        #expect(machine.tick(at: t0 + .seconds(6)).isEmpty, "nothing before the backoff")
        guard case .gather = machine.tick(at: t0 + .seconds(7)).last else {
            Issue.record("the retry first verifies the precondition")
            return
        }
        #expect(machine.phase == .verifyingPrecondition)
        #expect(machine.attempt == 2)
    }

    // MARK: - Failure policy, for every step of every runbook

    struct FailingStep: Sendable, CustomTestStringConvertible {
        var kind: RunbookKind
        var index: Int
        var run: RunKind
        var testDescription: String { "\(kind.rawValue) step \(index + 1) failing (\(run.rawValue))" }
    }

    static let failingSteps: [FailingStep] = RunbookKind.allCases.flatMap { kind in
        let count = RunDriver.fresh(kind, world: (try? FakeWorld.standard(kind))!).machine.header.steps.count
        return (0..<count).flatMap { index in [RunKind.failover, .switchover].map { FailingStep(kind: kind, index: index, run: $0) } }
    }

    @Test("The checks probe every instance in a switchover, and all but the dead upstream in a failover",
          arguments: [(RunKind.failover, [InstanceAddress.db2, .db3]), (.switchover, [.db1, .db2, .db3])])
    func checkedInstances(kind: RunKind, probed: [InstanceAddress]) throws {
        let world = try FakeWorld.standard(.v2VIP)
        var machine = RunDriver.fresh(.v2VIP, world: world, runKind: kind).machine
        guard case .gather(let first, _, _) = machine.start(at: t0).last else {
            Issue.record("expected the query-status request")
            return
        }
        let actions = machine.evidenceGathered(Evidence(dmStatus: world.dmStatus), for: first, at: t0 + .seconds(1))
        guard case .gather(_, let request, _) = actions.last else {
            Issue.record("expected the check's request, got \(actions)")
            return
        }
        #expect(machine.currentStep == .check)
        #expect(request == EvidenceRequest(dmStatus: true, instances: probed))
    }

    @Test("A step that always fails is retried with backoff, then the failure policy applies", arguments: failingSteps)
    func failingStep(_ row: FailingStep) throws {
        var world = try FakeWorld.standard(row.kind, upstreamHealthy: row.run == .switchover)
        var driver = RunDriver.fresh(row.kind, world: world, runKind: row.run)
        let header = driver.machine.header
        let step = header.steps[row.index]
        if step.isReadOnly { world.unreadable[step] = 3 } else { world.failing[step] = 3 }
        driver.world = world
        let stop = driver.run()
        #expect(stop == .finished)
        #expect(driver.world.blindRepeats.isEmpty)
        if !step.isReadOnly { #expect(driver.world.count(step) == 3, "attempted exactly three times") }
        let failures = driver.journal.compactMap { record -> StepRecordResult? in
            if case .stepOutcome(let record, let result, _) = record, record.step == step, record.stage == .forward { result } else { nil }
        }
        #expect(failures.count == 3)
        let outcome = try #require(driver.machine.outcome)
        let failure = RunFailure.stepFailed(step: step.name, attempts: 3, error: failureText(step))
        if row.index >= header.repointIndex {
            #expect(outcome == .failedAfterRepoint(failure))
            return
        }
        let performedBefore = header.steps[..<row.index].contains { !$0.isReadOnly } || !step.isReadOnly
        guard case .abortedBeforeRepoint(let reported, let dm) = outcome else {
            Issue.record("expected an abort before the repoint, got \(outcome)")
            return
        }
        #expect(reported == failure)
        #expect(!driver.world.performed.contains { if case .moveVIP = $0 { true } else { false } }, "nothing is repointed")
        if !performedBefore {
            #expect(dm == .untouched)
        } else if row.run == .switchover {
            #expect(dm == .restored)
            #expect(driver.world.tasks.count == 2 && driver.world.tasks.allSatisfy { $0.stage == .running }, "the tasks run again on db1")
            #expect(driver.world.source?.relayStage != .paused)
        } else {
            #expect(dm == .leftPaused("connection refused."))
            #expect(!driver.world.performed.contains { ["resume-task", "start-task", "resume-relay"].contains($0.name) }, "tasks stay paused while the old upstream is down")
        }
    }

    func failureText(_ step: StepKind) -> String {
        switch step {
        case .verifyIdentityThroughVIP: "The probe through the VIP could not be read: query-status failed: the DM master did not answer."
        case _ where step.isReadOnly: "DM's status could not be read: query-status failed: the DM master did not answer."
        default: "Could not \(step.name): the fake world refused."
        }
    }

    @Test("Retries wait for the backoff: 2 s, then 4 s")
    func backoff() throws {
        var world = try FakeWorld.standard(.v2VIP)
        world.failing[.moveVIP(from: .db1, to: .db2)] = 2
        var driver = RunDriver.fresh(.v2VIP, world: world)
        driver.run()
        #expect(driver.machine.outcome == .completed)
        let intents = driver.journal.compactMap { record -> StepRecord? in
            if case .stepIntent(let intent) = record, intent.step.name == "move-vip" { intent } else { nil }
        }
        #expect(intents.map(\.attempt) == [1, 2, 3])
        #expect(intents[1].at - intents[0].at >= .seconds(2))
        #expect(intents[2].at - intents[1].at >= .seconds(4))
        #expect(intents[2].at - intents[1].at < .seconds(5))
    }

    // MARK: - Verification before and after

    @Test("A failed attempt that did take effect is not performed again")
    func verifyBeforeRedo() throws {
        var world = try FakeWorld.standard(.v2VIP)
        world.failingAfterEffect[.pauseTask("orders")] = 1
        var driver = RunDriver.fresh(.v2VIP, world: world)
        driver.run()
        #expect(driver.machine.outcome == .completed)
        #expect(driver.world.count(.pauseTask("orders")) == 1)
        #expect(driver.outcomes.prefix(4) == ["query-status:succeeded", "check:succeeded", "pause-task:failed", "pause-task:already-done"])
    }

    @Test("Success without effect (dmctl exits 0 on \"result\": false) is caught and retried")
    func successWithoutEffect() throws {
        var world = try FakeWorld.standard(.v2VIP)
        world.withoutEffect[.resumeTask("billing")] = 1
        var driver = RunDriver.fresh(.v2VIP, world: world)
        driver.run()
        #expect(driver.machine.outcome == .completed)
        #expect(driver.world.count(.resumeTask("billing")) == 2)
        let failed = driver.logs.first { $0.code == "step-failed" }
        #expect(failed?.sentence == "Step 9 of 10 (resume-task) failed (attempt 1 of 3): Task billing is Paused, not Running. Retrying at @1700000002190.")
    }

    @Test("A task already paused by an operator is not paused again; one paused by an error is")
    func alreadyPaused() throws {
        var world = try FakeWorld.standard(.v2VIP)
        world.tasks[0].stage = .paused
        world.tasks[1].stage = .paused
        world.tasks[1].errors = [TaskError(code: 36069, message: "get binlog event error")]
        var driver = RunDriver.fresh(.v2VIP, world: world)
        driver.run()
        #expect(driver.machine.outcome == .completed)
        #expect(driver.world.count(.pauseTask("orders")) == 0)
        #expect(driver.world.count(.pauseTask("billing")) == 1, "pausing cancels DM's auto-resume of an errored task")
        #expect(driver.logs.contains { $0.code == "step-already-done" && $0.step == "pause-task" })
    }

    @Test("A relay already paused by an operator is not paused again; one paused by an error is", arguments: [false, true])
    func relayAlreadyPaused(byError: Bool) throws {
        var world = try FakeWorld.standard(.v1VIP)
        world.source?.relayStage = .paused
        if byError { world.source?.relayErrors = [TaskError(code: 30044, message: "get binlog event error")] }
        var driver = RunDriver.fresh(.v1VIP, world: world)
        driver.run()
        #expect(driver.machine.outcome == .completed)
        #expect(driver.world.count(.pauseRelay) == (byError ? 1 : 0), "pausing stops DM's auto-resume of an errored relay")
        #expect(driver.logs.contains { $0.code == "step-already-done" && $0.step == "pause-relay" } == !byError)
    }

    @Test("A task already Running is not resumed again")
    func alreadyRunning() throws {
        var world = try FakeWorld.standard(.v2VIP)
        world.afterStep = { step, world in
            if case .moveVIP = step, let index = world.tasks.firstIndex(where: { $0.name == "orders" }) { world.tasks[index].stage = .running }
        }
        var driver = RunDriver.fresh(.v2VIP, world: world)
        driver.run()
        #expect(driver.machine.outcome == .completed)
        #expect(driver.world.count(.resumeTask("orders")) == 0)
        #expect(driver.world.count(.resumeTask("billing")) == 1)
    }

    @Test("If the re-check fails after pausing, nothing is repointed", arguments: [RunKind.failover, .switchover])
    func recheckFails(_ run: RunKind) throws {
        var world = try FakeWorld.standard(.v2VIP, upstreamHealthy: run == .switchover)
        world.afterStep = { step, world in
            guard case .pauseTask = step else { return }
            for index in world.tasks.indices { world.tasks[index].syncerGTID = try? mysql("\(UUID.a):1-130") }
        }
        var driver = RunDriver.fresh(.v2VIP, world: world, runKind: run)
        driver.run()
        #expect(driver.world.vipTarget == .db1)
        #expect(driver.world.count(.moveVIP(from: .db1, to: .db2)) == 0)
        let verdict = "Refused db2:3306: db2:3306 lacks transactions the syncer checkpoint of task billing already has: \(UUID.a):121-130 (gtid-S − gtid-E)."
        let failure = RunFailure.checkRefused(step: "recheck", verdict: verdict)
        if run == .switchover {
            #expect(driver.machine.outcome == .abortedBeforeRepoint(failure, dm: .restored))
            #expect(driver.world.tasks.allSatisfy { $0.stage == .running })
        } else {
            #expect(driver.machine.outcome == .abortedBeforeRepoint(failure, dm: .leftPaused("connection refused.")))
            #expect(driver.world.tasks.allSatisfy { $0.stage == .paused })
            #expect(driver.logs.last?.sentence == "Failover run-1 from db1:3306 to db2:3306 aborted before the repoint: The recheck refused the candidate: \(verdict) The tasks stay paused because the old upstream db1:3306 is not healthy: connection refused.")
        }
    }

    @Test("A candidate that refuses the first check ends the run with DM untouched")
    func checkFails() throws {
        var world = try FakeWorld.standard(.v2Address)
        world.instances[.db2] = state("id-db2", e: try mysql("\(UUID.a):1-90"), replicatingFrom: .db1, io: .connecting)
        var driver = RunDriver.fresh(.v2Address, world: world)
        driver.run()
        guard case .abortedBeforeRepoint(.checkRefused(step: "check", _), dm: .untouched) = driver.machine.outcome else {
            Issue.record("expected an untouched abort, got \(String(describing: driver.machine.outcome))")
            return
        }
        #expect(driver.world.performed.isEmpty)
    }

    @Test("A candidate whose server identity changed since it was chosen is refused")
    func identityChanged() throws {
        var world = try FakeWorld.standard(.v2VIP)
        world.instances[.db2]?.serverIdentity = "id-replaced"
        var driver = RunDriver.fresh(.v2VIP, world: world)
        driver.run()
        #expect(driver.machine.outcome == .abortedBeforeRepoint(
            .checkRefused(step: "check", verdict: "db2:3306 now answers with server identity id-replaced, not id-db2 as when it was chosen."), dm: .untouched))
    }

    @Test("A candidate that has received what it lacks is waited for, then the run goes on")
    func catchUp() throws {
        var world = try FakeWorld.standard(.v2VIP)
        world.instances[.db2] = state("id-db2", e: try mysql("\(UUID.a):1-90"), replicatingFrom: .db1, io: .connecting, received: try mysql("\(UUID.a):1-100"))
        world.beforeEvidence = { now, world in
            if now >= t0 + .seconds(7) { world.instances[.db2]?.gtidE = (try? mysql("\(UUID.a):1-100")) ?? .empty(.mysql) }
        }
        var driver = RunDriver.fresh(.v2VIP, world: world)
        driver.run()
        #expect(driver.machine.outcome == .completed)
        #expect(driver.logs.filter { $0.code == "waiting-for-catch-up" }.count == 1, "one decision, not one per look")
        #expect(driver.journal.contains { if case .decision(let d, _) = $0 { d.code == "waiting-for-catch-up" } else { false } })
        #expect(driver.machine.trace.contains(RunTransition.Key(from: .waitingForCatchUp, on: .catchUpDue, to: .verifyingEffect)))
    }

    @Test("A candidate that does not catch up within the timeout is refused; DM untouched")
    func catchUpTimesOut() throws {
        var world = try FakeWorld.standard(.v2VIP)
        world.instances[.db2] = state("id-db2", e: try mysql("\(UUID.a):1-90"), replicatingFrom: .db1, io: .connecting, received: try mysql("\(UUID.a):1-100"))
        var driver = RunDriver.fresh(.v2VIP, world: world)
        driver.run()
        guard case .abortedBeforeRepoint(.checkRefused(_, let verdict), dm: .untouched) = driver.machine.outcome else {
            Issue.record("expected a refusal, got \(String(describing: driver.machine.outcome))")
            return
        }
        #expect(verdict.contains("did not apply what it lacks within the catch-up timeout of 30 s"))
        #expect(driver.now >= t0 + .seconds(30))
        #expect(driver.now < t0 + .seconds(33))
    }

    @Test("A step the shell never answers times out and counts as a failed attempt")
    func stepTimeout() throws {
        var driver = RunDriver.fresh(.v2VIP, world: try FakeWorld.standard(.v2VIP))
        driver.executeHangs = true
        driver.run()
        #expect(driver.machine.outcome == .abortedBeforeRepoint(
            .stepFailed(step: "pause-task", attempts: 3, error: "No answer within the step timeout of 60 s."), dm: .leftPaused("connection refused.")))
    }

    @Test("After the repoint a failed task does not stop the others")
    func perTaskFailureAfterRepoint() throws {
        var world = try FakeWorld.standard(.v2Address)
        world.failing[.startTask(name: "orders", file: "tasks/orders.yaml")] = 3
        var driver = RunDriver.fresh(.v2Address, world: world)
        driver.run()
        #expect(driver.machine.outcome == .failedAfterRepoint(.stepFailed(step: "start-task", attempts: 3, error: "Could not start-task: the fake world refused.")))
        #expect(driver.world.tasks.map(\.name) == ["billing"], "billing was started although orders failed")
        #expect(driver.world.source?.address == .db2)
    }

    @Test("If the journal cannot be written, the run stops at once and says what it left")
    func journalFails() throws {
        var driver = RunDriver.fresh(.v2VIP, world: try FakeWorld.standard(.v2VIP))
        var persists = 0
        var failAt: Int?
        driver.run(crashBefore: { count, action in
            if case .persist(.stepIntent(let intent)) = action, intent.step == .pauseTask("billing"), failAt == nil { failAt = count }
            persists += 1
            return false
        })
        var again = RunDriver.fresh(.v2VIP, world: try FakeWorld.standard(.v2VIP))
        again.run(journalFailsAt: failAt)
        #expect(again.machine.outcome == .abortedBeforeRepoint(
            .journalUnavailable("write: No space left on device (errno 28)."), dm: .leftPaused("The journal cannot be written, so no further step is taken: write: No space left on device (errno 28).")))
        #expect(again.world.count(.pauseTask("billing")) == 0, "the step whose intent failed was not performed")
        #expect(again.logs.last?.severity == .error)
    }
}
