import Coordination
import Dispatch
import DMSwitchLog
import Failover
import Foundation
import Synchronization

/// Decides, with the other daemons through etcd, which one acts for each group, and tells the
/// decision thread (`LoopEvent.authorityChanged`, `.holdsChanged`).
///
/// On its own thread, every quarter of the lease TTL:
/// 1. Check that etcd has quorum (a linearizable read). Twice in a row without it: every group
///    is `.unknown` ("etcd is unreachable"), so no run starts and a run in progress stops at its
///    next step boundary; probing goes on.
/// 2. For each group whose lease this daemon does not hold: try to acquire it (one transaction,
///    so only one daemon wins). Won: read the group's journal from etcd and report `.acting`
///    with its replay, so an unfinished run continues from its last completed step. Lost:
///    report `.observing` with the owner's node name.
/// A held lease is kept alive by its own thread; its loss is reported at once.
/// Holds are watched separately (`HoldWatcher`) and reported whole on every change.
final class CoordinationAgent: Sendable {
    let coordinator: EtcdCoordinator
    /// The groups configured now (a reload may add or remove some).
    let groups: @Sendable () -> [String]
    let journal: SharedJournal
    let log: EventLog
    let post: @Sendable (LoopEvent) -> Void
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let state = Mutex(State())

    private struct State {
        var reported: [String: GroupAuthority] = [:]
        /// The shared cooldown last posted for each group this daemon does not act for.
        var cooldowns: [String: Cooldown?] = [:]
        var failedHealthChecks = 0
        var problem: String?
        var stopped = false
        var watcher: HoldWatcher?
        var watchProblem: String?
        /// Stream ends since the last synchronization: an idle watch is reopened routinely,
        /// so only a reopening that fails too is worth a warning.
        var watchEnds = 0
    }

    /// How many failed quorum checks in a row make etcd count as unusable: one slow answer
    /// under load is not an outage, and fenced writes protect every step meanwhile.
    static let failuresBeforeUnknown = 2

    init(coordinator: EtcdCoordinator, groups: @escaping @Sendable () -> [String], journal: SharedJournal, log: EventLog, post: @escaping @Sendable (LoopEvent) -> Void) {
        self.coordinator = coordinator
        self.groups = groups
        self.journal = journal
        self.log = log
        self.post = post
    }

    /// The time between rounds: a quarter of the lease TTL, so a freed group is taken over
    /// soon after its lease expires.
    var interval: Duration { max(coordinator.leaseTTL / 4, .milliseconds(250)) }

    func start() {
        let watcher = coordinator.watchHolds(
            onChange: { [self] payloads in
                let read = SharedHolds.holds(payloads)
                for problem in read.problems { log.log(.warning, problem, context: [("code", "hold-unreadable")]) }
                shareHolds(read.holds)
            },
            onStatus: { [self] status in watchStatus(status) })
        state.withLock { $0.watcher = watcher }
        let thread = Thread { [self] in
            while !isStopped {
                round()
                _ = wake.wait(timeout: .now() + .milliseconds(Int(interval.wholeMilliseconds)))
            }
            finished.signal()
        }
        thread.name = "coordination"
        thread.start()
    }

    /// Ends the rounds and gives every held lease back, so another daemon takes over at once
    /// instead of after the TTL. Call after the decision loop stopped at a step boundary.
    func stop() {
        let watcher = state.withLock { state -> HoldWatcher? in
            state.stopped = true
            return state.watcher
        }
        wake.signal()
        finished.wait()
        watcher?.stop()
        for group in state.withLock({ Array($0.reported.keys) }) where coordinator.lease(for: group) != nil {
            do {
                try coordinator.release(group: group)
                log.log(.notice, "Gave back the lease of the group", context: [("group", LogValue(group))])
            } catch {
                log.log(.warning, "Could not give back the lease of the group; it expires after its TTL",
                        context: [("group", LogValue(group)), ("reason", LogValue(error.description))])
            }
        }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    // MARK: - Rounds

    private func round() {
        let health = coordinator.checkHealth(timeout: coordinator.client.requestTimeout)
        if let problem = health.problem {
            let failures = state.withLock { state -> Int in
                state.failedHealthChecks += 1
                return state.failedHealthChecks
            }
            guard failures >= Self.failuresBeforeUnknown else { return }
            let reason = Self.reason(problem)
            let first = state.withLock { state -> Bool in
                defer { state.problem = reason }
                return state.problem != reason
            }
            if first {
                log.log(.warning, "etcd cannot be used: no new run starts, runs stop at their next step boundary; probing goes on",
                        context: [("code", "coordination-unavailable"), ("reason", LogValue(problem.description))])
            }
            for group in groups() { report(group, .unknown(reason: reason), journal: nil) }
            return
        }
        let recovered = state.withLock { state -> Bool in
            defer {
                state.failedHealthChecks = 0
                state.problem = nil
            }
            return state.problem != nil
        }
        if recovered { log.log(.notice, "etcd has quorum again", context: [("code", "coordination-available")]) }
        let configured = groups()
        for group in configured where !isStopped { coordinate(group) }
        releaseRemoved(keeping: Set(configured))
    }

    /// A group a reload removed is no longer acted for here: its lease goes back at once, so
    /// a daemon that still has the group configured takes it over (and continues any run).
    private func releaseRemoved(keeping configured: Set<String>) {
        let removed = state.withLock { state -> [String] in
            let gone = state.reported.keys.filter { !configured.contains($0) }
            for group in gone { state.reported[group] = nil }
            return gone
        }
        for group in removed where coordinator.lease(for: group) != nil {
            log.log(.notice, "The group is no longer configured: giving its lease back", context: [("group", LogValue(group))])
            try? coordinator.release(group: group)
        }
    }

    private func coordinate(_ group: String) {
        if coordinator.isHeld(group: group) {
            if state.withLock({ $0.reported[group] }) != .acting { takeOver(group) }
            return
        }
        do {
            // One read while another daemon acts; a lease is granted only when the group is free.
            if let current = try coordinator.client.get(try coordinator.keys.owner(group)) {
                let record = OwnerRecord.parse(current.value)
                guard record?.owner == coordinator.owner.id else {
                    report(group, .observing(owner: Self.ownerName(record, raw: current.text)), journal: nil)
                    observeCooldown(group)
                    return
                }
                // This daemon's own lease, which it no longer counts as held (etcd was out of
                // reach when it gave it up, and a new etcd leader renews every lease): revoke
                // it, so the group does not wait a whole TTL for nobody.
                try coordinator.client.revokeLease(current.lease)
            }
            switch try coordinator.acquire(group: group, onLoss: { [weak self] group, loss in self?.lost(group, loss) }) {
            case .acquired:
                log.log(.notice, "Acquired the lease of the group: this daemon acts for it",
                        context: [("code", "lease-acquired"), ("group", LogValue(group)), ("owner", LogValue(coordinator.owner.id))])
                takeOver(group)
            case .heldByOther(let record, let raw):
                report(group, .observing(owner: Self.ownerName(record, raw: raw)), journal: nil)
            }
        } catch {
            log.log(.warning, "Could not ask etcd who acts for the group", context: [("group", LogValue(group)), ("reason", LogValue(error.description))])
            report(group, .unknown(reason: Self.reason(error)), journal: nil)
        }
    }

    /// Shows the acting daemon's cooldown of the group here too (`status` on every host).
    private func observeCooldown(_ group: String) {
        let payload: String?
        do {
            payload = try coordinator.cooldown(group: group)
        } catch {
            return
        }
        var cooldown: Cooldown?
        if let payload, case .cooldownStarted(let shared, _)? = try? JournalRecord(line: payload) { cooldown = shared }
        let changed = state.withLock { state -> Bool in
            defer { state.cooldowns[group] = .some(cooldown) }
            return state.cooldowns[group] != .some(cooldown)
        }
        if changed { post(.cooldownShared(group: group, cooldown)) }
    }

    /// Reads the group's journal from etcd and reports `.acting` with its replay. A journal
    /// that cannot be read is no ground to act on: the lease goes back.
    private func takeOver(_ group: String) {
        do {
            var records: [JournalRecord] = []
            var notes: [String] = []
            for entry in try coordinator.journal(group: group) {
                do {
                    records.append(try JournalRecord(line: entry.record))
                } catch {
                    notes.append("Record \(entry.sequence) of the shared journal of group \(group) is skipped: \(error)")
                }
            }
            var replay = ReplayedState.replay(records)
            replay.notes += notes
            for run in replay.unfinishedRuns { journal.register(run.header.id, group: run.header.group) }
            report(group, .acting, journal: replay)
        } catch {
            log.log(.err, "Could not read the shared journal of the group; giving its lease back",
                    context: [("group", LogValue(group)), ("reason", LogValue(error.description))])
            try? coordinator.release(group: group)
            report(group, .unknown(reason: Self.reason(error)), journal: nil)
        }
    }

    /// A held lease was lost (not given back by this daemon): stop acting at once.
    private func lost(_ group: String, _ loss: LeaseLoss) {
        guard loss != .released, state.withLock({ $0.reported[group] }) == .acting else { return }
        log.log(.warning, "Lost the lease of the group: no further step here", context: [
            ("code", "lease-lost"), ("group", LogValue(group)), ("reason", LogValue(loss.description)),
        ])
        report(group, .unknown(reason: "this daemon lost the lease of group \(group) (\(loss))"), journal: nil)
        wake.signal()
    }

    /// Posts a change; `.acting` with a journal is always posted (the journal is fresh).
    private func report(_ group: String, _ authority: GroupAuthority, journal: ReplayedState?) {
        let changed = state.withLock { state -> Bool in
            defer { state.reported[group] = authority }
            return state.reported[group] != authority || journal != nil
        }
        if changed { post(.authorityChanged(group: group, authority, journal: journal)) }
    }

    private func shareHolds(_ holds: [Hold]) {
        journal.noteShared(holds)
        post(.holdsChanged(holds))
    }

    private func watchStatus(_ status: HoldWatcher.Status) {
        switch status {
        case .synchronized:
            // Every fresh read is reported even when the watch's view did not change: this
            // daemon's own view may have (a hold it kept although etcd refused to share it).
            if let watcher = state.withLock({ $0.watcher }) { shareHolds(SharedHolds.holds(watcher.holds).holds) }
            let was = state.withLock { state -> String? in
                defer {
                    state.watchProblem = nil
                    state.watchEnds = 0
                }
                return state.watchProblem
            }
            if was != nil { log.log(.notice, "Watching the shared holds again", context: [("code", "holds-watched")]) }
        case .disconnected(let error):
            let first = state.withLock { state -> Bool in
                state.watchEnds += 1
                guard state.watchEnds >= 2 else { return false }
                defer { state.watchProblem = error.description }
                return state.watchProblem == nil
            }
            if first {
                log.log(.warning, "The shared holds are not watched; the last ones seen still apply",
                        context: [("code", "holds-unwatched"), ("reason", LogValue(error.description))])
            }
        }
    }

    /// The acting daemon's node name, from its owner record.
    static func ownerName(_ record: OwnerRecord?, raw: String) -> String {
        record?.host ?? (raw.isEmpty ? "an unknown host" : "an unknown host (\(raw.prefix(80)))")
    }

    /// A short phrase for status and block sentences ("etcd is unreachable").
    static func reason(_ error: EtcdError) -> String {
        switch error {
        case .unreachable(_, let failures) where !failures.isEmpty && failures.allSatisfy({ $0.kind == .unavailable }):
            "etcd has no quorum"
        case .unreachable:
            "etcd is unreachable"
        case .server where error.isAvailabilityProblem:
            "etcd has no quorum"
        case .authenticationFailed:
            "etcd refuses this daemon's credentials"
        default:
            "etcd cannot be used (\(error))"
        }
    }
}
