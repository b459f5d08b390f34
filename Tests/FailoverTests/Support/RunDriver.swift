import Testing
@testable import Failover

/// Drives a run machine against a fake world with a manual clock, as the daemon's shell would:
/// actions in order, persist before anything after it, answers reported with their request id.
struct RunDriver {
    var machine: RunMachine
    var world: FakeWorld
    var journal: [JournalRecord] = []
    var logs: [Decision] = []
    var now: Instant
    /// Every transition any machine of this driver took (machines are replaced on resume).
    var transitions: [RunTransition.Key] = []
    /// Actions performed so far (across resumes), for crash points.
    var actionCount = 0
    /// Each shell round trip (a gather or an execute) takes this long.
    var latency: Duration = .milliseconds(10)
    /// When set, answers to `execute` are never reported (a hung shell).
    var executeHangs = false
    /// Check that every record survives its text form (off in the large crash loops, which
    /// `JournalCodecTests` covers once per scenario).
    var checkEncoding = true

    enum Stop: Equatable {
        case finished
        case crashed
        case stuck
    }

    init(machine: RunMachine, world: FakeWorld, now: Instant = t0) {
        self.machine = machine
        self.world = world
        self.now = now
    }

    /// A fresh run of the group's runbook from db1 to db2.
    static func fresh(_ kind: RunbookKind, world: FakeWorld, group: GroupSettings? = nil, runKind: RunKind = .failover) -> RunDriver {
        let group = group ?? groupSettings(kind)
        let plan = RunbookPlan(from: .db1, to: .db2, toIdentity: "id-db2", tasks: group.tasks)
        let header = RunHeader(
            id: RunID("run-1"), group: group.name, kind: runKind, from: .db1, to: .db2, toIdentity: "id-db2",
            runbook: Runbook.make(kind, plan: plan), tasks: group.tasks, reason: "Upstream db1:3306 is down.", startedAt: t0)
        return RunDriver(machine: RunMachine(header: header, settings: group), world: world)
    }

    static func groupSettings(_ kind: RunbookKind) -> GroupSettings {
        let tasks = [TaskSpec(name: "orders", file: "tasks/orders.yaml"), TaskSpec(name: "billing", file: "tasks/billing.yaml")]
        switch kind {
        case .v2VIP: return settings(dm: .v2, repoint: .vip(.vip), tasks: tasks)
        case .v2Address: return settings(dm: .v2, repoint: .address, tasks: tasks)
        case .v1VIP: return settings(dm: .v1, repoint: .vip(.vip), tasks: tasks)
        case .v1Address: return settings(dm: .v1, repoint: .address, tasks: tasks)
        }
    }

    /// Runs until the machine finishes, nothing is left to do, or `crash` says the process
    /// dies before performing the action (which is then lost with the rest of the batch).
    @discardableResult
    mutating func run(journalFailsAt failing: Int? = nil, crashBefore crash: (Int, RunAction) -> Bool = { _, _ in false }) -> Stop {
        var queue = machine.start(at: now)
        for _ in 0..<10_000 {
            transitions = transitionsSoFar
            guard !queue.isEmpty else {
                if machine.isFinished { return .finished }
                guard let wake = machine.nextWakeUp else { return .stuck }
                now = max(now, wake)
                queue = machine.tick(at: now)
                continue
            }
            let action = queue.removeFirst()
            if crash(actionCount, action) { return .crashed }
            actionCount += 1
            switch action {
            case .persist(let record):
                if actionCount - 1 == failing {
                    queue = machine.journalFailed("write: No space left on device (errno 28).", at: now)
                    continue
                }
                if checkEncoding {
                    #expect((try? JournalRecord(line: record.line)) == record, "the record survives its text form: \(record.line)")
                }
                journal.append(record)
            case .log(let decision):
                logs.append(decision)
            case .gather(let id, let request, _):
                now = now + latency
                let evidence = world.evidence(request, step: machine.currentStep, at: now)
                queue += machine.evidenceGathered(evidence, for: id, at: now)
            case .execute(let id, let step, _):
                guard !executeHangs else { continue }
                now = now + latency
                let result = world.perform(step)
                queue += machine.stepFinished(result, for: id, at: now)
            }
        }
        return .stuck
    }

    private var transitionsSoFar: [RunTransition.Key] { previousTransitions + machine.trace }
    private var previousTransitions: [RunTransition.Key] = []

    /// Simulates a restart: replays the journal (through its text form) and continues the
    /// unfinished run, if any, with a new machine on the same world.
    mutating func restart() -> Bool {
        previousTransitions += machine.trace
        let records = checkEncoding ? journal.map(\.line).compactMap { try? JournalRecord(line: $0) } : journal
        let replayed = ReplayedState.replay(records)
        guard let unfinished = replayed.unfinishedRuns.first else { return false }
        machine = RunMachine(resuming: unfinished, settings: machine.settings)
        return true
    }

    /// The outcomes journaled for the run.
    var finishes: [RunOutcome] {
        journal.compactMap { if case .runFinished(_, let outcome, _) = $0 { outcome } else { nil } }
    }

    /// The journaled step outcomes, as "step-name:result" strings.
    var outcomes: [String] {
        journal.compactMap { if case .stepOutcome(let step, let result, _) = $0 { "\(step.step.name):\(result.code)" } else { nil } }
    }
}
