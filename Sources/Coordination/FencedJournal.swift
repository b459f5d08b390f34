import Foundation

/// Transactions that succeed only while a fence still holds.
enum Fencing {
    /// Runs `success` if the fence and `compares` hold. The failure branch
    /// reads the owner key first, then `failureReads`, so a failed run says
    /// whether the fence or one of the other compares failed. Throws
    /// `.fenced` when the fence no longer holds; otherwise returns the
    /// result, whose `succeeded` is false only because of `compares`.
    static func run(
        _ client: EtcdClient,
        fence: LeaseFence,
        compares: [EtcdCompare] = [],
        success: [EtcdOperation],
        failureReads: [EtcdOperation] = []
    ) throws(EtcdError) -> EtcdTxnResult {
        let txn = EtcdTxn(
            compare: fence.compares + compares,
            success: success,
            failure: [.range(EtcdRangeQuery(.key(fence.ownerKey)))] + failureReads
        )
        let result = try client.txn(txn)
        if result.succeeded { return result }
        let owner = result.results.first?.rangeResult?.keyValues.first
        guard fence.matches(owner) else {
            let now = owner.map { "it now belongs to " + (OwnerRecord.parse($0.value)?.description ?? "\"\($0.text)\"") }
                ?? "the owner key no longer exists"
            throw .fenced(group: fence.group, detail: "\(fence.ownerKey) was created at revision \(fence.createRevision) with lease \(EtcdCall.hex(fence.leaseID)); \(now)")
        }
        return EtcdTxnResult(succeeded: false, results: Array(result.results.dropFirst()), revision: result.revision)
    }
}

/// One record of a group's journal in etcd.
public struct JournalEntry: Sendable, Equatable {
    /// Contiguous from 1 for records appended through `FencedJournal`.
    public var sequence: UInt64
    public var record: String
    /// The store revision that wrote it.
    public var revision: Int64
}

/// A group's run journal in etcd: records appended only by the group's
/// current owner, each in one fenced transaction.
///
/// The journal key's sequence number is one past the last one; the
/// transaction also requires that key to be absent, so two appends can
/// never overwrite each other. If a transaction was retried on another
/// endpoint after a timeout and had committed the first time, the key
/// holds exactly our record and the append counts as done.
public struct FencedJournal: Sendable {
    public let client: EtcdClient
    public let keys: CoordinationKeys
    static let maxAttempts = 5

    public init(client: EtcdClient, keys: CoordinationKeys) {
        self.client = client
        self.keys = keys
    }

    /// Appends `record` for the fence's group; returns its sequence number.
    /// Throws `.fenced` if the fence no longer holds in etcd.
    @discardableResult
    public func append(_ record: String, fence: LeaseFence) throws(EtcdError) -> UInt64 {
        let prefix = try keys.journalPrefix(fence.group)
        let bytes = Data(record.utf8)
        for _ in 0..<Self.maxAttempts {
            let next = try lastSequence(prefix: prefix) + 1
            let key = try keys.journalEntry(fence.group, sequence: next)
            let result = try Fencing.run(
                client, fence: fence,
                compares: [EtcdCompare(key: key, .createRevision(0))],
                success: [.put(key: key, value: bytes, lease: 0)],
                failureReads: [.range(EtcdRangeQuery(.key(key)))]
            )
            if result.succeeded { return next }
            if let existing = result.results.first?.rangeResult?.keyValues.first, existing.value == bytes { return next }
        }
        throw .sequenceConflict(group: fence.group, attempts: Self.maxAttempts)
    }

    /// Every record of `group`, in sequence order (one consistent snapshot).
    public func entries(_ group: String) throws(EtcdError) -> [JournalEntry] {
        let prefix = try keys.journalPrefix(group)
        var entries: [JournalEntry] = []
        for kv in try client.rangeAll(prefix: prefix).keyValues {
            guard let sequence = CoordinationKeys.sequence(inJournalKey: kv.key, prefix: prefix) else {
                throw malformedKey(kv.key)
            }
            entries.append(JournalEntry(sequence: sequence, record: kv.text, revision: kv.modRevision))
        }
        return entries
    }

    /// Deletes the records up to and including `sequence` (after a run is
    /// finished and recorded elsewhere), fenced like an append.
    public func truncate(through sequence: UInt64, fence: LeaseFence) throws(EtcdError) {
        let prefix = try keys.journalPrefix(fence.group)
        let end = try keys.journalEntry(fence.group, sequence: sequence + 1)
        _ = try Fencing.run(client, fence: fence, success: [.deleteRange(EtcdKeyRange(key: prefix, rangeEnd: end))])
    }

    private func lastSequence(prefix: String) throws(EtcdError) -> UInt64 {
        let query = EtcdRangeQuery(.prefix(prefix), limit: 1, descending: true, keysOnly: true)
        guard let last = try client.range(query).keyValues.first else { return 0 }
        guard let sequence = CoordinationKeys.sequence(inJournalKey: last.key, prefix: prefix) else {
            throw malformedKey(last.key)
        }
        return sequence
    }

    private func malformedKey(_ key: String) -> EtcdError {
        .malformedResponse(operation: "read the journal", endpoint: client.preferredEndpoint,
                           detail: "the key \"\(key)\" does not end in a \(CoordinationKeys.sequenceDigits)-digit sequence number")
    }
}
