import Dispatch
import Foundation
import Synchronization

/// What a fenced write compares: the owner key still exists as the very
/// incarnation this daemon created, attached to this daemon's lease.
///
/// `createRevision` changes whenever the key is deleted and created again
/// (by anyone, including this daemon re-acquiring), so a stale fence can
/// never match a newer ownership.
public struct LeaseFence: Sendable, Equatable, CustomStringConvertible {
    public var group: String
    public var ownerKey: String
    public var ownerID: String
    public var leaseID: Int64
    public var createRevision: Int64

    /// The compares every fenced transaction starts with.
    public var compares: [EtcdCompare] {
        [
            EtcdCompare(key: ownerKey, .createRevision(createRevision)),
            EtcdCompare(key: ownerKey, .lease(leaseID)),
        ]
    }

    /// True when `current` (the owner key as read now) is still this fence's ownership.
    public func matches(_ current: EtcdKeyValue?) -> Bool {
        guard let current else { return false }
        return current.createRevision == createRevision && current.lease == leaseID
    }

    public var description: String {
        "\(ownerKey) created at revision \(createRevision) with lease \(EtcdCall.hex(leaseID))"
    }
}

/// Why a held group was lost. Reported once, through the loss callback.
public enum LeaseLoss: Sendable, Equatable, CustomStringConvertible {
    /// etcd answered that the lease no longer exists (it expired there, or was revoked).
    case expiredInEtcd
    /// No keepalive was confirmed for a whole TTL: etcd unreachable, or this
    /// process was paused (SIGSTOP, a frozen VM). etcd may already have
    /// given the group to another daemon.
    case notConfirmedWithinTTL(lastError: String?)
    /// The owner key is gone or belongs to another incarnation.
    case ownerChanged(currentOwner: String?)
    /// `release()` was called.
    case released

    public var description: String {
        switch self {
        case .expiredInEtcd:
            return "etcd reports that the lease no longer exists"
        case .notConfirmedWithinTTL(let lastError):
            return "no keepalive was confirmed within the lease TTL" + (lastError.map { " (last error: \($0))" } ?? "")
        case .ownerChanged(let currentOwner):
            return "the owner key now " + (currentOwner.map { "belongs to \($0)" } ?? "does not exist")
        case .released:
            return "the lease was released"
        }
    }
}

/// The outcome of trying to acquire a group.
public enum LeaseAcquisition: Sendable {
    case acquired(GroupLease)
    /// Another daemon holds the group; its record if it could be read.
    case heldByOther(OwnerRecord?, raw: String)
}

/// How a held lease is kept alive.
public enum KeepaliveMode: Sendable, Equatable {
    /// A dedicated thread calls `keepAlive()` every TTL/3.
    case thread
    /// The caller calls `keepAlive()` itself, at least every TTL/3.
    case manual
}

/// One group's owner key, backed by an etcd lease: the daemon that holds
/// it is the only one that may run the group's runbook.
///
/// Acquisition is one transaction ("create the owner key if absent, with my
/// lease"), so two daemons can never both win. Holding is conservative:
/// `isHeld(at:)` turns false once a TTL has passed since the *sending* of
/// the last confirmed keepalive — etcd extended the lease on receipt, which
/// was later, so etcd cannot have expired it before then. A process that was
/// paused longer than the TTL therefore knows, as soon as it resumes and
/// looks, that it must assume the group lost, even before any error.
public final class GroupLease: Sendable {
    public let group: String
    public let fence: LeaseFence
    /// The TTL assumed locally: the smaller of the asked and granted TTL.
    public let ttl: Duration
    let client: EtcdClient
    private let onLoss: @Sendable (LeaseLoss) -> Void
    private let state: Mutex<State>
    private let wake = DispatchSemaphore(value: 0)

    private struct State {
        var confirmedAt: ContinuousClock.Instant
        var loss: LeaseLoss?
        var lastError: String?
        var threadStarted = false
    }

    init(group: String, fence: LeaseFence, ttl: Duration, client: EtcdClient, confirmedAt: ContinuousClock.Instant,
         onLoss: @escaping @Sendable (LeaseLoss) -> Void) {
        self.group = group
        self.fence = fence
        self.ttl = ttl
        self.client = client
        self.onLoss = onLoss
        self.state = Mutex(State(confirmedAt: confirmedAt))
    }

    /// Tries to become the owner of `group`: grants a lease and creates the
    /// owner key with it in one transaction that succeeds only if the key
    /// does not exist. `onLoss` is called once, from the keepalive thread
    /// (or the `keepAlive()` caller), when the group is lost.
    public static func acquire(
        client: EtcdClient,
        keys: CoordinationKeys,
        group: String,
        owner: OwnerIdentity,
        ttl: Duration,
        keepalive: KeepaliveMode = .thread,
        onLoss: @escaping @Sendable (LeaseLoss) -> Void
    ) throws(EtcdError) -> LeaseAcquisition {
        let ownerKey = try keys.owner(group)
        let askedSeconds = max(1, Int64((ttl.timeInterval).rounded(.up)))
        let sentAt = ContinuousClock.now
        let lease = try client.grantLease(ttlSeconds: askedSeconds)
        let record = OwnerRecord(owner, since: Date())
        let txn = EtcdTxn(
            compare: [EtcdCompare(key: ownerKey, .createRevision(0))],
            success: [.put(key: ownerKey, value: record.json, lease: lease.id), .range(EtcdRangeQuery(.key(ownerKey)))],
            failure: [.range(EtcdRangeQuery(.key(ownerKey)))]
        )
        let result: EtcdTxnResult
        do {
            result = try client.txn(txn)
        } catch {
            try? client.revokeLease(lease.id)
            throw error
        }
        let current = result.results.last?.rangeResult?.keyValues.first
        // A transaction retried on another endpoint after a timeout may have
        // committed the first time: the key then carries our own lease.
        guard let current, current.lease == lease.id else {
            try? client.revokeLease(lease.id)
            return .heldByOther(current.flatMap { OwnerRecord.parse($0.value) }, raw: current?.text ?? "")
        }
        let grantedTTL = lease.ttlSeconds > 0 ? Duration.seconds(lease.ttlSeconds) : ttl
        let fence = LeaseFence(group: group, ownerKey: ownerKey, ownerID: owner.id, leaseID: lease.id, createRevision: current.createRevision)
        let held = GroupLease(group: group, fence: fence, ttl: min(ttl, grantedTTL), client: client, confirmedAt: sentAt, onLoss: onLoss)
        if keepalive == .thread { held.startKeepaliveThread() }
        return .acquired(held)
    }

    /// True while the group may be assumed held at `now`: no loss seen and
    /// less than a TTL since the last confirmed keepalive was sent.
    public func isHeld(at now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { $0.loss == nil && now < $0.confirmedAt + ttl }
    }

    /// The instant after which the group must be assumed lost without a new keepalive.
    public var heldUntil: ContinuousClock.Instant {
        state.withLock { $0.confirmedAt + ttl }
    }

    /// Why the group was lost, once it was.
    public var loss: LeaseLoss? { state.withLock { $0.loss } }

    /// One keepalive round: extends the lease and checks that the owner key
    /// is still ours. Returns whether the group is still held. Declares the
    /// loss (and calls the callback) on the first round that finds it lost.
    @discardableResult
    public func keepAlive(at now: ContinuousClock.Instant = .now) -> Bool {
        let (confirmedAt, alreadyLost, lastError) = state.withLock { ($0.confirmedAt, $0.loss != nil, $0.lastError) }
        if alreadyLost { return false }
        if now >= confirmedAt + ttl {
            // Paused or cut off for a whole TTL: never revive, even if etcd
            // happened to still know the lease.
            declareLoss(.notConfirmedWithinTTL(lastError: lastError), revoke: true)
            return false
        }
        let remaining: Int64
        do {
            remaining = try client.keepAlive(lease: fence.leaseID)
        } catch {
            state.withLock { $0.lastError = error.description }
            if ContinuousClock.now >= confirmedAt + ttl {
                declareLoss(.notConfirmedWithinTTL(lastError: error.description), revoke: true)
                return false
            }
            return true
        }
        guard remaining > 0 else {
            declareLoss(.expiredInEtcd, revoke: false)
            return false
        }
        // A failed read leaves this check to the next round; the lease itself was extended.
        if case .success(let current) = Result(catching: { () throws(EtcdError) in try client.get(fence.ownerKey) }),
           !fence.matches(current) {
            declareLoss(.ownerChanged(currentOwner: current.flatMap { OwnerRecord.parse($0.value)?.description }), revoke: true)
            return false
        }
        state.withLock {
            $0.confirmedAt = max($0.confirmedAt, now)
            $0.lastError = nil
        }
        return true
    }

    /// Gives the group up: stops the keepalive and revokes the lease, which
    /// deletes the owner key at once so another daemon can take over
    /// without waiting for the TTL. Locally the group is lost even if the
    /// revoke fails (etcd then expires the lease after the TTL).
    public func release() throws(EtcdError) {
        let first = state.withLock { current -> Bool in
            guard current.loss == nil else { return false }
            current.loss = .released
            return true
        }
        wake.signal()
        if first { onLoss(.released) }
        try client.revokeLease(fence.leaseID)
    }

    /// Starts the dedicated keepalive thread (once). It wakes every TTL/3,
    /// and also right when the TTL would run out, so a loss is reported on time.
    public func startKeepaliveThread() {
        let start = state.withLock { current -> Bool in
            defer { current.threadStarted = true }
            return !current.threadStarted
        }
        guard start else { return }
        let thread = Thread { [self] in keepaliveLoop() }
        thread.name = "etcd-lease-\(group)"
        thread.start()
    }

    private func keepaliveLoop() {
        let interval = ttl / 3
        while true {
            let untilExpiry = heldUntil - ContinuousClock.now
            let pause = max(.milliseconds(10), min(interval, untilExpiry))
            if wake.wait(timeout: .now() + pause.timeInterval) == .success { return }
            if loss != nil || !keepAlive() { return }
        }
    }

    private func declareLoss(_ loss: LeaseLoss, revoke: Bool) {
        let first = state.withLock { current -> Bool in
            guard current.loss == nil else { return false }
            current.loss = loss
            return true
        }
        guard first else { return }
        onLoss(loss)
        // Revoking our own lease only deletes keys attached to it: it frees
        // the group sooner if etcd still had it, and harms no one otherwise.
        if revoke { try? client.revokeLease(fence.leaseID) }
    }
}
