import Coordination
import DMSwitchLog
import Failover
import RunJournal
import Synchronization

/// The write-ahead log of a daemon that coordinates through etcd.
///
/// - A run's records (its start, every step's intent and outcome, its end) and the group's
///   cooldown and acknowledgements go to the group's journal in etcd (the cooldown also to the
///   group's cooldown key, which the other daemons show in `status`), each in a transaction
///   that succeeds only while this daemon holds the group's lease (`appendFenced`). Whoever
///   acts for the group next replays that journal, exactly as a restarted daemon replays its
///   own file.
/// - Holds go to the shared hold keys, so a hold given to any daemon applies to all.
/// - Everything else (verdicts, selections) is this daemon's own view and stays in its local
///   journal file; so does the upstream it learns, which the acting daemon also shares.
final class SharedJournal: JournalWriting {
    let coordinator: EtcdCoordinator
    let local: RunJournal
    let log: EventLog
    /// Which group each run belongs to: step records name only their run.
    private let runs = Mutex<[RunID: String]>([:])
    /// The holds in etcd as the watch last reported them.
    private let lastShared = Mutex<[Hold]>([])

    init(coordinator: EtcdCoordinator, local: RunJournal, log: EventLog) {
        self.coordinator = coordinator
        self.local = local
        self.log = log
    }

    /// Remembers a run taken over from the shared journal, so its records find their group.
    func register(_ run: RunID, group: String) {
        runs.withLock { $0[run] = group }
    }

    /// The watch reported the holds in etcd.
    func noteShared(_ holds: [Hold]) {
        lastShared.withLock { $0 = holds }
    }

    func sharedHolds() -> [Hold]? {
        lastShared.withLock { $0 }
    }

    func mayAct(group: String) -> Bool {
        coordinator.isHeld(group: group)
    }

    func group(of record: JournalRecord) -> String? {
        switch record {
        case .runStarted(let header): header.group
        case .stepIntent(let step), .stepOutcome(let step, _, _): runs.withLock { $0[step.run] }
        case .runAborting(let run, _, _, _), .runFinished(let run, _, _): runs.withLock { $0[run] }
        case .decision(let decision, _): decision.group
        case .cooldownStarted(let cooldown, _): cooldown.group
        case .acknowledged(let group, _, _), .upstreamLearned(let group, _, _): group
        case .holdPlaced, .holdReleased: nil
        }
    }

    func append(_ record: JournalRecord) throws(JournalWriteError) {
        switch record {
        case .runStarted(let header):
            register(header.id, group: header.group)
            try fenced(header.group, record)
        case .stepIntent, .stepOutcome, .runAborting, .runFinished:
            guard let group = group(of: record) else {
                throw JournalWriteError(description: "The journal record \(record.line.prefix(120)) belongs to a run this daemon does not know, so it cannot be written to the group's shared journal.")
            }
            try fenced(group, record)
        case .cooldownStarted(let cooldown, _):
            try fenced(cooldown.group, record)
            // The journal is what counts; the key lets the other daemons show the cooldown.
            _ = try? coordinator.putCooldown(group: cooldown.group, payload: record.line)
        case .acknowledged(let group, _, _):
            try fenced(group, record)
            _ = try? coordinator.deleteCooldown(group: group, fenced: true)
        case .decision(let decision, _) where decision.run != nil:
            guard let group = decision.group else { return writeLocally(record) }
            try fenced(group, record)
        case .decision, .upstreamLearned:
            if let group = group(of: record), coordinator.isHeld(group: group) {
                _ = try? coordinator.appendFenced(group: group, record: record.line)
            }
            writeLocally(record)
        case .holdPlaced(let hold):
            try updateHolds(hold.scope) { holds in
                holds.removeAll { $0.kind == hold.kind }
                holds.append(hold)
            }
        case .holdReleased(let scope, let kind, _, _):
            try updateHolds(scope) { holds in holds.removeAll { kind == nil || $0.kind == kind } }
        }
    }

    // MARK: - Writing

    private func fenced(_ group: String, _ record: JournalRecord) throws(JournalWriteError) {
        do {
            try coordinator.appendFenced(group: group, record: record.line)
        } catch {
            throw JournalWriteError(
                description: "Could not write the journal of group \(group) in etcd: \(error)",
                consequence: .groupLost(group, .unknown(reason: Self.reason(error, group: group))))
        }
    }

    private func updateHolds(_ scope: Failover.HoldScope, _ change: @escaping (inout [Hold]) -> Void) throws(JournalWriteError) {
        do {
            try coordinator.shared.updateHold(scope.shared) { payload in
                var holds = SharedHolds.holds(in: payload, scope: scope).holds
                change(&holds)
                return SharedHolds.payload(holds)
            }
        } catch {
            throw JournalWriteError(description: "Could not share the change of the holds on \(scope) through etcd: \(error)", consequence: .notShared)
        }
    }

    /// This daemon's own view: a failure is logged, and nothing stops for it.
    private func writeLocally(_ record: JournalRecord) {
        do {
            try local.append(record)
        } catch {
            log.log(.err, "Could not write the local journal", context: [("reason", LogValue(error.description))])
        }
    }

    /// The short phrase a group's authority gives after a failed etcd call.
    static func reason(_ error: EtcdError, group: String) -> String {
        switch error {
        case .fenced, .notHeld: "this daemon no longer holds the lease of group \(group)"
        default: CoordinationAgent.reason(error)
        }
    }
}
