import GTID
import Testing
@testable import Failover

@Suite("Supervisor: detection, policy, runs and operator commands, driven like the daemon")
struct SupervisorTests {
    /// A healthy group (db2 and db3 replicate from db1), started and past its startup grace.
    static func running(_ kind: RunbookKind = .v2VIP, settings: GroupSettings? = nil) throws -> SupervisorDriver {
        var driver = SupervisorDriver(kind, world: try FakeWorld.standard(kind, upstreamHealthy: true), settings: settings)
        driver.start()
        driver.advance(by: .seconds(10))
        return driver
    }

    /// db1 dies; the replicas notice (their IO threads reconnect).
    static func kill(_ instance: InstanceAddress, in world: inout FakeWorld) {
        world.down.insert(instance)
        for (address, state) in world.instances where state.replication?.source == instance {
            world.instances[address]?.replication?.ioThread = .connecting
        }
    }

    @Test("At start it probes every instance and the VIP, and learns the upstream from the VIP")
    func startup() throws {
        let driver = try Self.running()
        #expect(driver.status?.upstream == .db1)
        #expect(driver.status?.verdict == .healthy(.db1))
        #expect(driver.status?.startupGrace == .over)
        #expect(driver.logged("upstream-learned").map(\.sentence) == ["The upstream of group mysql-replica-01 is db1:3306: the VIP answers as it."])
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.status?.instances.map(\.health) == [.healthy, .healthy, .healthy])
    }

    @Test("A dead upstream is failed over once, to the best candidate, and the group cools down", arguments: RunbookKind.allCases)
    func failover(_ kind: RunbookKind) throws {
        var driver = try Self.running(kind)
        let killedAt = driver.now
        Self.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        let run = try #require(driver.runsStarted.first)
        #expect(driver.runsStarted.count == 1)
        #expect(run.kind == .failover && run.from == .db1 && run.to == .db2)
        #expect(run.startedAt - killedAt <= .seconds(6), "three failed probes, two seconds apart")
        #expect(driver.runsFinished == [.completed])
        #expect(driver.status?.upstream == .db2)
        #expect(driver.status?.cooldown?.run == run.id)
        #expect(driver.notifications.map(\.event) == [.runStarted, .runCompleted])
        #expect(driver.logged("upstream-down").count == 1)
        #expect(driver.world.blindRepeats.isEmpty)
    }

    @Test("No failover while a replica still reads from the upstream")
    func replicaStillConnected() throws {
        var driver = try Self.running()
        driver.world.down.insert(.db1)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.logged("upstream-seen-by-replicas").count == 1)
    }

    @Test("No failover when no instance answers: the fault is ours")
    func unreachableFromHere() throws {
        var driver = try Self.running()
        driver.world.down = [.db1, .db2, .db3]
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.logged("unreachable-from-here").count == 1)
    }

    @Test("A probe the shell never reports counts as timed out: a hung upstream is failed over")
    func hungProbe() throws {
        var driver = try Self.running()
        driver.unanswered = [.db1, .vip]
        for address in [InstanceAddress.db2, .db3] { driver.world.instances[address]?.replication?.ioThread = .connecting }
        driver.advance(by: .seconds(60))
        #expect(driver.runsFinished == [.completed])
        #expect(driver.logs.contains { $0.sentence.contains("The probe did not report within twice the probe timeout of 1 s") })
    }

    @Test("A dead VIP at start leaves the upstream unknown: nothing is judged without the journal")
    func upstreamUnknownAtStart() throws {
        var world = try FakeWorld.standard(.v2VIP, upstreamHealthy: true)
        Self.kill(.db1, in: &world)
        var driver = SupervisorDriver(.v2VIP, world: world)
        driver.start()
        driver.advance(by: .seconds(30))
        #expect(driver.status?.verdict == .unknown)
        #expect(driver.runsStarted.isEmpty)
    }

    @Test("No automatic action during the startup grace, then the failover")
    func startupGrace() throws {
        var settings = RunDriver.groupSettings(.v2VIP)
        settings.detection.startupProbes = 6
        var world = try FakeWorld.standard(.v2VIP, upstreamHealthy: true)
        Self.kill(.db1, in: &world)
        var journaled = ReplayedState()
        journaled.upstreams[settings.name] = .db1
        var driver = SupervisorDriver(.v2VIP, world: world, settings: settings, replayed: journaled)
        driver.start()
        driver.advance(by: .seconds(7))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.logged("failover-blocked").first?.sentence == "No automatic failover starts: Startup grace: db1:3306 probed 3 of 6 times, db2:3306 probed 2 of 6 times, db3:3306 probed 2 of 6 times.")
        driver.advance(by: .seconds(10))
        #expect(driver.runsStarted.count == 1)
    }

    @Test("A hold stops the automatic failover, said once; releasing it lets the failover start", arguments: [HoldScope.group("mysql-replica-01"), .global])
    func hold(_ scope: HoldScope) throws {
        var driver = try Self.running()
        let reply = driver.command(.hold(scope, reason: "maintenance", owner: "alice", until: nil), id: 1)
        #expect(reply == .done("\(scope == .global ? "All groups are" : "Group mysql-replica-01 is") held (operator) by alice: maintenance"))
        Self.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.logged("failover-blocked").count == 1)
        #expect(driver.command(.release(scope, by: "alice"), id: 2) == .done("alice released \(scope): maintenance"))
        driver.advance(by: .seconds(30))
        #expect(driver.runsFinished == [.completed])
    }

    @Test("A hold with an expiry lapses by itself, and only that hold")
    func holdExpires() throws {
        var driver = try Self.running()
        driver.command(.hold(.group(driver.group), reason: "short", owner: "alice", until: driver.now + .seconds(20)), id: 1)
        Self.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(15))
        #expect(driver.runsStarted.isEmpty)
        driver.advance(by: .seconds(20))
        #expect(driver.runsStarted.count == 1)
        #expect(driver.journal.contains(.holdReleased(scope: .group(driver.group), kind: .operator, by: "expiry", at: t0 + .seconds(30))))
    }

    @Test("After a run the group cools down: a second failure waits for ack")
    func cooldown() throws {
        var driver = try Self.running()
        driver.world.instances[.db3]?.gtidE = try mysql("\(UUID.a):1-120")
        Self.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsFinished == [.completed])
        Self.kill(.db2, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.count == 1)
        #expect(driver.logged("failover-blocked").last?.sentence.hasPrefix("No automatic failover starts: The group cools down after run r-1 until") == true)
        #expect(driver.command(.acknowledge(group: driver.group, by: "bob"), id: 1) == .done("bob acknowledged run r-1: group mysql-replica-01 may fail over automatically again."))
        driver.advance(by: .seconds(30))
        #expect(driver.runsStarted.map(\.to) == [.db2, .db3])
        #expect(driver.runsFinished == [.completed, .completed])
    }

    @Test("With no eligible candidate nothing is done to DM and the group is held, with reasons")
    func noEligibleCandidate() throws {
        var driver = try Self.running()
        driver.world.instances[.db2]?.gtidE = try mysql("\(UUID.a):1-80")
        Self.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.world.performed.isEmpty)
        let hold = try #require(driver.status?.holds.first)
        #expect(hold.kind == .automatic && hold.owner == "dmswitchd")
        #expect(hold.reason == "No failover: No eligible candidate: every instance is rejected.")
        #expect(driver.notifications.map(\.event) == [.groupHeld])
        #expect(driver.logs.filter { $0.code == "candidate-verdict" }.map(\.sentence) == [
            "db1:3306 is the current upstream.",
            "db2:3306 lacks transactions the syncer checkpoint of task billing already has: \(UUID.a):81-100 (gtid-S − gtid-E).",
            "db2:3306 lacks transactions the syncer checkpoint of task orders already has: \(UUID.a):81-100 (gtid-S − gtid-E).",
            "db3:3306 lacks transactions the syncer checkpoint of task billing already has: \(UUID.a):81-100 (gtid-S − gtid-E).",
            "db3:3306 lacks transactions the syncer checkpoint of task orders already has: \(UUID.a):81-100 (gtid-S − gtid-E).",
        ])
    }

    @Test("With automatic off a down upstream is only reported; a switchover still works")
    func automaticOff() throws {
        var settings = RunDriver.groupSettings(.v2VIP)
        settings.automatic = false
        var driver = try Self.running(settings: settings)
        Self.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.logged("failover-blocked").map(\.sentence) == ["No automatic failover starts: Automatic failover is off for the group."])
        driver.command(.switchover(group: driver.group, to: .db2, by: "alice"), id: 1)
        driver.advance(by: .seconds(30))
        #expect(driver.runsFinished == [.completed])
    }

    // MARK: - Switchover

    @Test("A switchover goes through the same checks and runbook, and is journaled as asked by the operator")
    func switchover() throws {
        var driver = try Self.running()
        let reply = driver.command(.switchover(group: driver.group, to: .db2, by: "alice"), id: 7)
        #expect(reply == .runStarted(RunID("r-1"), "Switchover r-1 from db1:3306 to db2:3306 started."))
        driver.advance(by: .seconds(30))
        let run = try #require(driver.runsStarted.first)
        #expect(run.kind == .switchover && run.requestedBy == "alice")
        #expect(run.steps.prefix(2) == [.queryStatus, .check])
        #expect(driver.runsFinished == [.completed])
        #expect(driver.world.vipTarget == .db2)
    }

    @Test("Under writes a switchover judges its target on a probe taken after DM's checkpoint was read")
    func switchoverProbesTargetAfresh() throws {
        var driver = try Self.running()
        // Writes went on since the last probe: DM and db2 both moved past what db2 was seen with.
        for index in driver.world.tasks.indices { driver.world.tasks[index].syncerGTID = try mysql("\(UUID.a):1-130") }
        for address in [InstanceAddress.db1, .db2] { driver.world.instances[address]?.gtidE = try mysql("\(UUID.a):1-130") }
        let reply = driver.command(.switchover(group: driver.group, to: .db2, by: "alice"), id: 1)
        #expect(reply == .runStarted(RunID("r-1"), "Switchover r-1 from db1:3306 to db2:3306 started."))
    }

    @Test("A switchover whose target does not answer its fresh probe is refused once the probe times out")
    func switchoverTargetSilent() throws {
        var driver = try Self.running()
        driver.unanswered = [.db2]
        #expect(driver.command(.switchover(group: driver.group, to: .db2, by: "alice"), id: 1) == nil, "it waits for db2's probe")
        driver.advance(by: .seconds(3))
        let reply = try #require(driver.replies[CommandID(1)])
        #expect(reply.sentence.hasPrefix("The switchover was refused."), "\(reply)")
        #expect(driver.runsStarted.isEmpty)
    }

    @Test("A switchover to a candidate that fails the checks is refused with its verdict")
    func switchoverRefusedByChecks() throws {
        var driver = try Self.running()
        let reply = driver.command(.switchover(group: driver.group, to: .db3, by: "alice"), id: 1)
        #expect(reply == .refused("The switchover was refused. Refused db3:3306: db3:3306 lacks transactions the syncer checkpoint of task billing already has: \(UUID.a):81-100 (gtid-S − gtid-E)."))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.status?.holds.isEmpty == true, "a refused switchover changes nothing")
    }

    @Test("A refused switch is a warning in the log, a chosen candidate a notice")
    func refusalSeverity() throws {
        var driver = try Self.running()
        driver.command(.switchover(group: driver.group, to: .db3, by: "alice"), id: 1)
        #expect(driver.logged("target-refused").map(\.severity) == [.warning])
        driver.command(.switchover(group: driver.group, to: .db1, by: "alice"), id: 2)
        #expect(driver.logged("switchover-refused").map(\.sentence) == ["The switchover of group mysql-replica-01 to db1:3306 asked by alice was refused: db1:3306 is already the upstream of group mysql-replica-01."])
        #expect(driver.logged("switchover-refused").map(\.severity) == [.warning])
        driver.command(.switchover(group: driver.group, to: .db2, by: "alice"), id: 3)
        #expect(driver.logged("candidate-chosen").map(\.severity) == [.notice])
    }

    @Test("Switchovers refused before any check", arguments: [
        ("to the upstream itself", OperatorCommand.switchover(group: "mysql-replica-01", to: .db1, by: "a"), "db1:3306 is already the upstream of group mysql-replica-01."),
        ("to a stranger", .switchover(group: "mysql-replica-01", to: .db9, by: "a"), "db9:3306 is not an instance of group mysql-replica-01."),
        ("of an unknown group", .switchover(group: "nope", to: .db2, by: "a"), "There is no group named nope."),
    ])
    func switchoverRefused(_ name: String, _ command: OperatorCommand, _ sentence: String) throws {
        var driver = try Self.running()
        #expect(driver.command(command, id: 1) == .refused(sentence))
    }

    @Test("An operator hold does not stop a switchover; a safety hold does until released")
    func switchoverAndHolds() throws {
        var driver = try Self.running()
        driver.command(.hold(.global, reason: "maintenance", owner: "alice", until: nil), id: 1)
        driver.world.failing[.resumeTask("orders")] = 3
        #expect(driver.command(.switchover(group: driver.group, to: .db2, by: "alice"), id: 2) == .runStarted(RunID("r-1"), "Switchover r-1 from db1:3306 to db2:3306 started."))
        driver.advance(by: .seconds(60))
        guard case .failedAfterRepoint = driver.runsFinished.first else {
            Issue.record("expected a failure after the repoint, got \(driver.runsFinished)")
            return
        }
        #expect(driver.status?.holds.map(\.kind) == [.safety])
        let refused = driver.command(.switchover(group: driver.group, to: .db1, by: "alice"), id: 3)
        #expect(refused?.sentence.hasSuffix("A safety hold refuses switchovers too; release it once DM has been looked at.") == true)
        driver.command(.release(.group(driver.group), by: "alice"), id: 4)
        #expect(driver.command(.switchover(group: driver.group, to: .db1, by: "alice"), id: 5) == .runStarted(RunID("r-2"), "Switchover r-2 from db2:3306 to db1:3306 started."))
    }

    @Test("A second switchover is refused while a run is in progress")
    func switchoverDuringRun() throws {
        var driver = try Self.running()
        driver.world.failing[.moveVIP(from: .db1, to: .db2)] = 1
        driver.command(.switchover(group: driver.group, to: .db2, by: "alice"), id: 1)
        #expect(driver.status?.run?.phase == .waitingToRetry)
        #expect(driver.command(.switchover(group: driver.group, to: .db3, by: "bob"), id: 2) == .refused("Run r-1 is in progress for group mysql-replica-01; wait for it to end."))
    }

    // MARK: - Restart, journal, commands

    @Test("A daemon restarted mid-run continues the run from the journal, verifying first")
    func restartMidRun() throws {
        var driver = try Self.running()
        driver.world.failing[.moveVIP(from: .db1, to: .db2)] = 1
        Self.kill(.db1, in: &driver.world)
        for _ in 0..<60 where driver.status?.run?.phase != .waitingToRetry { driver.advance(by: .milliseconds(500)) }
        #expect(driver.status?.run?.stepName == "move-vip")
        driver.restart()
        driver.advance(by: .seconds(30))
        #expect(driver.runsStarted.count == 1)
        #expect(driver.runsFinished == [.completed])
        #expect(driver.logged("run-resumed").count == 1)
        #expect(driver.world.count(.pauseTask("orders")) == 1)
        #expect(driver.world.blindRepeats.isEmpty)
        #expect(driver.status?.upstream == .db2)
    }

    @Test("Holds, cooldowns and the upstream survive a restart")
    func restartKeepsPolicy() throws {
        var driver = try Self.running()
        Self.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        driver.command(.hold(.global, reason: "after the incident", owner: "alice", until: nil), id: 1)
        driver.restart()
        #expect(driver.core.status(at: driver.now).globalHolds.map(\.reason) == ["after the incident"])
        #expect(driver.status?.cooldown?.run == RunID("r-1"))
        #expect(driver.status?.upstream == .db2)
    }

    @Test("If the journal cannot be written, nothing new starts and everything is held")
    func journalFails() throws {
        var driver = try Self.running()
        driver.journalFailsNext = true
        Self.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.world.performed.isEmpty)
        #expect(driver.logged("journal-failed").count == 1)
        #expect(driver.core.status(at: driver.now).globalHolds.map(\.kind) == [.safety])
    }

    @Test("check is a dry run: verdicts for every candidate, nothing changed")
    func check() throws {
        var driver = try Self.running()
        guard case .report(let report) = driver.command(.check(group: driver.group, to: nil), id: 1) else {
            Issue.record("expected a report")
            return
        }
        #expect(report.verdict == .healthy(.db1))
        #expect(report.selection.decision == .chosen(.db2, because: .onlyCandidate))
        #expect(report.sentences.prefix(3) == ["Upstream db1:3306 answers.", "Chose db2:3306: the only eligible candidate.", "db2:3306 is eligible (priority 0, 120 transactions)."])
        guard case .report(let targeted) = driver.command(.check(group: driver.group, to: .db3), id: 2) else {
            Issue.record("expected a report")
            return
        }
        #expect(targeted.selection.decision.code == "target-refused")
        #expect(driver.runsStarted.isEmpty && driver.journal.allSatisfy { if case .holdPlaced = $0 { false } else { true } })
    }

    @Test("check reads DM's status afresh: a checkpoint that moved since the last periodic read is what it judges")
    func checkReadsDMAfresh() throws {
        var driver = try Self.running()
        for index in driver.world.tasks.indices { driver.world.tasks[index].syncerGTID = try mysql("\(UUID.a):1-130") }
        guard case .report(let report) = driver.command(.check(group: driver.group, to: nil), id: 1) else {
            Issue.record("expected a report")
            return
        }
        #expect(report.selection.decision.code == "no-eligible-candidate")
        #expect(report.dmStatusAt == driver.now)
    }

    @Test("Under writes check judges the instances on probes taken after DM's checkpoint was read")
    func checkProbesAfresh() throws {
        var driver = try Self.running()
        for index in driver.world.tasks.indices { driver.world.tasks[index].syncerGTID = try mysql("\(UUID.a):1-130") }
        for address in [InstanceAddress.db1, .db2] { driver.world.instances[address]?.gtidE = try mysql("\(UUID.a):1-130") }
        guard case .report(let report) = driver.command(.check(group: driver.group, to: nil), id: 1) else {
            Issue.record("expected a report")
            return
        }
        #expect(report.selection.decision == .chosen(.db2, because: .onlyCandidate))
    }

    @Test("Commands with bad input are refused with a sentence, changing nothing", arguments: [
        (OperatorCommand.hold(.group("nope"), reason: "r", owner: "o", until: nil), "There is no group named nope."),
        (.hold(.global, reason: "  ", owner: "o", until: nil), "A hold needs a reason."),
        (.hold(.global, reason: "r", owner: "", until: nil), "A hold needs an owner."),
        (.hold(.global, reason: "r", owner: "o", until: t0), "The hold's expiry @1700000000000 is not in the future."),
        (.release(.global, by: "o"), "All groups is not held."),
        (.acknowledge(group: "mysql-replica-01", by: "o"), "Group mysql-replica-01 has no cooldown to acknowledge."),
        (.check(group: "nope", to: nil), "There is no group named nope."),
    ])
    func badCommands(_ command: OperatorCommand, _ sentence: String) throws {
        var driver = try Self.running()
        let before = driver.journal.count
        #expect(driver.command(command, id: 1) == .refused(sentence))
        #expect(driver.journal.count == before)
    }

    @Test("In the address scenario the upstream is learned from DM's source")
    func addressUpstream() throws {
        let driver = try Self.running(.v2Address)
        #expect(driver.logged("upstream-learned").map(\.sentence) == ["The upstream of group mysql-replica-01 is db1:3306: DM's source points at it."])
    }

    @Test("status shows the run in progress")
    func statusDuringRun() throws {
        var driver = try Self.running()
        driver.world.failing[.moveVIP(from: .db1, to: .db2)] = 1
        driver.command(.switchover(group: driver.group, to: .db2, by: "alice"), id: 1)
        let run = try #require(driver.status?.run)
        #expect(run == RunStatus(id: RunID("r-1"), kind: .switchover, from: .db1, to: .db2, phase: .waitingToRetry, restoring: false, step: 6, steps: 10, stepName: "move-vip"))
        #expect(driver.core.nextWakeUp == driver.now + .seconds(2) || (driver.core.nextWakeUp ?? driver.now) <= driver.now + .seconds(2))
    }
}
