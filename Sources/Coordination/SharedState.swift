import Foundation

/// Holds and cooldowns kept in etcd, so that every daemon sees the same ones.
///
/// Payloads are opaque text (the daemon's own encoding, e.g. JSON with a
/// reason and an expiry). A write can be fenced: then it happens only while
/// the given lease still holds its group. A hold given by an operator to
/// any daemon is usually unfenced (that daemon need not own the group); a
/// cooldown set at the end of a run is fenced by the run's lease.
public struct SharedState: Sendable {
    public let client: EtcdClient
    public let keys: CoordinationKeys

    public init(client: EtcdClient, keys: CoordinationKeys) {
        self.client = client
        self.keys = keys
    }

    // MARK: Holds

    public func putHold(_ scope: HoldScope, payload: String, fence: LeaseFence? = nil) throws(EtcdError) {
        try write(keys.hold(scope), payload, fence: fence)
    }

    public func hold(_ scope: HoldScope) throws(EtcdError) -> String? {
        try client.get(keys.hold(scope))?.text
    }

    /// Every hold, by scope. Keys under the holds prefix that name no valid
    /// scope are ignored (they are not ours).
    public func holds() throws(EtcdError) -> [HoldScope: String] {
        try Self.holds(in: client.rangeAll(prefix: keys.holdsPrefix).keyValues, keys: keys)
    }

    /// Returns whether there was a hold to delete.
    @discardableResult
    public func deleteHold(_ scope: HoldScope, fence: LeaseFence? = nil) throws(EtcdError) -> Bool {
        try delete(keys.hold(scope), fence: fence)
    }

    /// Changes the hold payload of `scope` from what it is now (nil: no hold) to what
    /// `change` makes of it (nil: delete the key), with a compare-and-swap on the key's
    /// revision, so that two daemons changing the holds of one scope at once never lose
    /// each other's change. Retried a few times when another writer came first.
    public func updateHold(_ scope: HoldScope, _ change: (String?) -> String?) throws(EtcdError) {
        let key = try keys.hold(scope)
        for _ in 0..<Self.maxUpdateAttempts {
            let current = try client.get(key)
            let wanted = change(current?.text)
            if wanted == current?.text { return }
            let compare = EtcdCompare(key: key, current.map { .modRevision($0.modRevision) } ?? .createRevision(0))
            let operation: EtcdOperation = wanted.map { .put(key: key, value: Data($0.utf8), lease: 0) } ?? .deleteRange(.key(key))
            if try client.txn(EtcdTxn(compare: [compare], success: [operation])).succeeded { return }
        }
        throw .updateConflict(key: key, attempts: Self.maxUpdateAttempts)
    }

    static let maxUpdateAttempts = 5

    // MARK: Cooldowns

    public func putCooldown(group: String, payload: String, fence: LeaseFence? = nil) throws(EtcdError) {
        try write(keys.cooldown(group), payload, fence: fence)
    }

    public func cooldown(group: String) throws(EtcdError) -> String? {
        try client.get(keys.cooldown(group))?.text
    }

    @discardableResult
    public func deleteCooldown(group: String, fence: LeaseFence? = nil) throws(EtcdError) -> Bool {
        try delete(keys.cooldown(group), fence: fence)
    }

    // MARK: Shared

    static func holds(in keyValues: [EtcdKeyValue], keys: CoordinationKeys) -> [HoldScope: String] {
        var holds: [HoldScope: String] = [:]
        for kv in keyValues {
            if let scope = keys.holdScope(forKey: kv.key) { holds[scope] = kv.text }
        }
        return holds
    }

    private func write(_ key: String, _ payload: String, fence: LeaseFence?) throws(EtcdError) {
        let value = Data(payload.utf8)
        guard let fence else {
            try client.put(key, value: value)
            return
        }
        _ = try Fencing.run(client, fence: fence, success: [.put(key: key, value: value, lease: 0)])
    }

    private func delete(_ key: String, fence: LeaseFence?) throws(EtcdError) -> Bool {
        guard let fence else { return try client.delete(.key(key)) > 0 }
        let result = try Fencing.run(client, fence: fence, success: [.deleteRange(.key(key))])
        if case .deleteRange(let deleted) = result.results.first { return deleted > 0 }
        return false
    }
}
