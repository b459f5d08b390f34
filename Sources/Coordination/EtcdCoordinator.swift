import Foundation
import Synchronization

/// Everything one dmswitchd needs from etcd, in the daemon's terms: acquire
/// a group before a run, append each step's journal record fenced by that
/// ownership, share holds and cooldowns, and know whether etcd is usable.
///
/// How the daemon uses it:
/// 1. Before starting a run: `checkHealth()` must be healthy, then
///    `acquire(group:)` must return `.acquired`; otherwise do not start.
/// 2. Before each step: `isHeld(group:)`; write the step's intent with
///    `appendFenced` (write-ahead) and its outcome after. A `.fenced` error
///    means another daemon owns the group now: stop at once, take no
///    further step, leave the run to the new owner (it replays the journal).
/// 3. On the loss callback: stop stepping (as for `.fenced`); do not retry
///    the step. Try to acquire again only for a new decision.
/// 4. After the run: set the cooldown (fenced), then `release(group:)`.
/// 5. When etcd is unreachable or without quorum: finish nothing new; a
///    running step's next fenced append fails within the request timeout,
///    and the lease is considered lost a TTL after its last keepalive.
public final class EtcdCoordinator: Sendable {
    public let client: EtcdClient
    public let keys: CoordinationKeys
    public let owner: OwnerIdentity
    public let leaseTTL: Duration
    public let journal: FencedJournal
    public let shared: SharedState
    private let leases = Mutex<[String: GroupLease]>([:])
    /// Appends of one daemon are serialized, so that its own writers never
    /// race for the same sequence number.
    private let appendLock = NSLock()

    public init(client: EtcdClient, keys: CoordinationKeys, owner: OwnerIdentity = .current(), leaseTTL: Duration = .seconds(10)) {
        self.client = client
        self.keys = keys
        self.owner = owner
        self.leaseTTL = leaseTTL
        self.journal = FencedJournal(client: client, keys: keys)
        self.shared = SharedState(client: client, keys: keys)
    }

    // MARK: Ownership

    /// Tries to become the group's owner. `onLoss` is called once when the
    /// group is lost (or released); the lease is then forgotten here.
    public func acquire(
        group: String,
        keepalive: KeepaliveMode = .thread,
        onLoss: @escaping @Sendable (String, LeaseLoss) -> Void = { _, _ in }
    ) throws(EtcdError) -> LeaseAcquisition {
        if let held = lease(for: group), held.isHeld() { return .acquired(held) }
        let outcome = try GroupLease.acquire(
            client: client, keys: keys, group: group, owner: owner, ttl: leaseTTL, keepalive: keepalive
        ) { [weak self] loss in
            self?.forget(group: group)
            onLoss(group, loss)
        }
        if case .acquired(let lease) = outcome {
            leases.withLock { $0[group] = lease }
        }
        return outcome
    }

    /// The group's lease, if this daemon acquired it and has not seen it lost.
    public func lease(for group: String) -> GroupLease? {
        leases.withLock { $0[group] }
    }

    /// Conservative: false once a TTL passed since the last confirmed keepalive.
    public func isHeld(group: String, at now: ContinuousClock.Instant = .now) -> Bool {
        lease(for: group)?.isHeld(at: now) ?? false
    }

    public func release(group: String) throws(EtcdError) {
        guard let lease = lease(for: group) else { return }
        forget(group: group)
        try lease.release()
    }

    private func forget(group: String) {
        _ = leases.withLock { $0.removeValue(forKey: group) }
    }

    /// The fence of a group this daemon holds right now.
    public func fence(for group: String, at now: ContinuousClock.Instant = .now) throws(EtcdError) -> LeaseFence {
        guard let lease = lease(for: group) else { throw .notHeld(group: group) }
        guard lease.isHeld(at: now) else {
            throw .fenced(group: group, detail: "no keepalive was confirmed within the lease TTL of \(lease.ttl)")
        }
        return lease.fence
    }

    // MARK: Journal

    /// Appends a journal record for `group` in one transaction that succeeds
    /// only while this daemon holds the group. Returns the record's sequence number.
    @discardableResult
    public func appendFenced(group: String, record: String) throws(EtcdError) -> UInt64 {
        let fence = try fence(for: group)
        appendLock.lock()
        defer { appendLock.unlock() }
        return try journal.append(record, fence: fence)
    }

    /// The group's whole journal, in sequence order.
    public func journal(group: String) throws(EtcdError) -> [JournalEntry] {
        try journal.entries(group)
    }

    public func truncateJournal(group: String, through sequence: UInt64) throws(EtcdError) {
        try journal.truncate(through: sequence, fence: fence(for: group))
    }

    // MARK: Holds and cooldowns

    /// `fencedBy`: write only while this daemon holds that group.
    public func putHold(_ scope: HoldScope, payload: String, fencedBy group: String? = nil) throws(EtcdError) {
        try shared.putHold(scope, payload: payload, fence: group.map { g throws(EtcdError) in try fence(for: g) })
    }

    public func deleteHold(_ scope: HoldScope, fencedBy group: String? = nil) throws(EtcdError) {
        try shared.deleteHold(scope, fence: group.map { g throws(EtcdError) in try fence(for: g) })
    }

    public func holds() throws(EtcdError) -> [HoldScope: String] {
        try shared.holds()
    }

    /// Cooldowns are written at the end of a run, so fenced by default.
    public func putCooldown(group: String, payload: String, fenced: Bool = true) throws(EtcdError) {
        try shared.putCooldown(group: group, payload: payload, fence: fenced ? fence(for: group) : nil)
    }

    public func cooldown(group: String) throws(EtcdError) -> String? {
        try shared.cooldown(group: group)
    }

    public func deleteCooldown(group: String, fenced: Bool = false) throws(EtcdError) {
        try shared.deleteCooldown(group: group, fence: fenced ? fence(for: group) : nil)
    }

    /// A started watcher of every hold; call `stop()` at shutdown.
    public func watchHolds(
        onChange: @escaping @Sendable ([HoldScope: String]) -> Void,
        onStatus: @escaping @Sendable (HoldWatcher.Status) -> Void = { _ in }
    ) -> HoldWatcher {
        let watcher = HoldWatcher(client: client, keys: keys, onChange: onChange, onStatus: onStatus)
        watcher.start()
        return watcher
    }

    // MARK: Health

    public func checkHealth(timeout: Duration = .seconds(2)) -> EtcdHealth {
        EtcdHealth.check(client: client, keys: keys, timeout: timeout)
    }
}
