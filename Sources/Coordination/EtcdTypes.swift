import Foundation

/// One key with its value and the revisions etcd keeps for it.
public struct EtcdKeyValue: Sendable, Equatable {
    public var key: String
    public var value: Data
    /// The revision that created this incarnation of the key; 0 for "absent".
    public var createRevision: Int64
    public var modRevision: Int64
    public var version: Int64
    /// The lease the key is attached to; 0 for none.
    public var lease: Int64

    public init(key: String, value: Data, createRevision: Int64 = 0, modRevision: Int64 = 0, version: Int64 = 0, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }

    /// The value as UTF-8 text (records and hold payloads are text).
    public var text: String { String(decoding: value, as: UTF8.self) }

    init(_ wire: WireKeyValue, operation: String, endpoint: String) throws(EtcdError) {
        guard let keyBytes = WireBase64.decode(wire.key), let valueBytes = WireBase64.decode(wire.value) else {
            throw .malformedResponse(operation: operation, endpoint: endpoint, detail: "a key or value is not base64")
        }
        self.init(
            key: String(decoding: keyBytes, as: UTF8.self),
            value: valueBytes,
            createRevision: wire.create_revision.int64,
            modRevision: wire.mod_revision.int64,
            version: wire.version.int64,
            lease: wire.lease.int64
        )
    }
}

/// Which keys a range, a delete or a watch covers.
public struct EtcdKeyRange: Sendable, Equatable {
    public var key: String
    /// Exclusive end; nil for the single key.
    public var rangeEnd: String?

    public static func key(_ key: String) -> EtcdKeyRange { EtcdKeyRange(key: key, rangeEnd: nil) }

    /// Every key that starts with `prefix` (etcd's "prefix + 1" range end).
    public static func prefix(_ prefix: String) -> EtcdKeyRange {
        var bytes = Array(prefix.utf8)
        while let last = bytes.last, last == 0xff { bytes.removeLast() }
        guard let last = bytes.popLast() else { return EtcdKeyRange(key: prefix, rangeEnd: "\u{0}") }
        bytes.append(last + 1)
        return EtcdKeyRange(key: prefix, rangeEnd: String(decoding: bytes, as: UTF8.self))
    }

    var wireKey: String { WireBase64.encode(key) }
    var wireRangeEnd: String? { rangeEnd.map { WireBase64.encode($0) } }
}

/// A range read.
public struct EtcdRangeQuery: Sendable, Equatable {
    public var range: EtcdKeyRange
    /// 0 for no limit.
    public var limit: Int64
    /// Sort by key, descending instead of ascending.
    public var descending: Bool
    public var keysOnly: Bool
    /// Serve from the member's local state without a quorum round. Off by
    /// default: a linearizable read is what proves quorum.
    public var serializable: Bool
    /// Read the store as of this revision; 0 for the latest.
    public var revision: Int64 = 0

    public init(_ range: EtcdKeyRange, limit: Int64 = 0, descending: Bool = false, keysOnly: Bool = false, serializable: Bool = false) {
        self.range = range
        self.limit = limit
        self.descending = descending
        self.keysOnly = keysOnly
        self.serializable = serializable
    }

    var wire: WireRangeRequest {
        WireRangeRequest(
            key: range.wireKey,
            range_end: range.wireRangeEnd,
            limit: limit > 0 ? WireInt64(limit) : nil,
            sort_order: "\(descending ? "DESCEND" : "ASCEND")",
            sort_target: "KEY",
            serializable: serializable ? true : nil,
            keys_only: keysOnly ? true : nil,
            revision: revision > 0 ? WireInt64(revision) : nil
        )
    }
}

/// What a range read found, at which store revision.
public struct EtcdRangeResult: Sendable, Equatable {
    public var keyValues: [EtcdKeyValue]
    public var count: Int64
    /// More keys match than `limit` allowed.
    public var more: Bool
    public var revision: Int64

    init(_ wire: WireRangeResponse, operation: String, endpoint: String) throws(EtcdError) {
        var keyValues: [EtcdKeyValue] = []
        for kv in wire.kvs ?? [] {
            keyValues.append(try EtcdKeyValue(kv, operation: operation, endpoint: endpoint))
        }
        self.keyValues = keyValues
        self.count = wire.count.int64
        self.more = wire.more ?? false
        self.revision = wire.header?.revision.int64 ?? 0
    }
}

/// A lease as granted: its id and the TTL etcd actually gave (it may raise
/// a too-short TTL to its minimum).
public struct EtcdLease: Sendable, Equatable {
    public var id: Int64
    public var ttlSeconds: Int64
}

/// One condition of a transaction.
public struct EtcdCompare: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        /// 0 means "the key does not exist".
        case createRevision(Int64)
        case modRevision(Int64)
        case version(Int64)
        case value(Data)
        /// 0 means "not attached to a lease".
        case lease(Int64)
    }

    public enum Relation: String, Sendable, Equatable {
        case equal = "EQUAL"
        case notEqual = "NOT_EQUAL"
        case greater = "GREATER"
        case less = "LESS"
    }

    public var key: String
    public var target: Target
    public var relation: Relation

    public init(key: String, _ target: Target, _ relation: Relation = .equal) {
        self.key = key
        self.target = target
        self.relation = relation
    }

    var wire: WireCompare {
        var compare = WireCompare(key: WireBase64.encode(key), target: "", result: relation.rawValue)
        switch target {
        case .createRevision(let revision):
            compare.target = "CREATE"
            compare.create_revision = WireInt64(revision)
        case .modRevision(let revision):
            compare.target = "MOD"
            compare.mod_revision = WireInt64(revision)
        case .version(let version):
            compare.target = "VERSION"
            compare.version = WireInt64(version)
        case .value(let value):
            compare.target = "VALUE"
            compare.value = WireBase64.encode(value)
        case .lease(let lease):
            compare.target = "LEASE"
            compare.lease = WireInt64(lease)
        }
        return compare
    }
}

/// One operation inside a transaction.
public enum EtcdOperation: Sendable, Equatable {
    case put(key: String, value: Data, lease: Int64)
    case range(EtcdRangeQuery)
    case deleteRange(EtcdKeyRange)

    var wire: WireRequestOp {
        switch self {
        case .put(let key, let value, let lease):
            WireRequestOp(request_put: WirePutRequest(
                key: WireBase64.encode(key), value: WireBase64.encode(value), lease: lease != 0 ? WireInt64(lease) : nil))
        case .range(let query):
            WireRequestOp(request_range: query.wire)
        case .deleteRange(let range):
            WireRequestOp(request_delete_range: WireDeleteRangeRequest(key: range.wireKey, range_end: range.wireRangeEnd))
        }
    }
}

/// The result of one transaction operation, in the order of the branch that ran.
public enum EtcdOperationResult: Sendable, Equatable {
    case put(revision: Int64)
    case range(EtcdRangeResult)
    case deleteRange(deleted: Int64)

    /// The range result, if this operation was a range.
    public var rangeResult: EtcdRangeResult? {
        if case .range(let result) = self { return result }
        return nil
    }
}

/// If every compare holds, run `success`, otherwise `failure` — atomically.
public struct EtcdTxn: Sendable, Equatable {
    public var compare: [EtcdCompare]
    public var success: [EtcdOperation]
    public var failure: [EtcdOperation]

    public init(compare: [EtcdCompare], success: [EtcdOperation], failure: [EtcdOperation] = []) {
        self.compare = compare
        self.success = success
        self.failure = failure
    }

    var wire: WireTxnRequest {
        WireTxnRequest(compare: compare.map(\.wire), success: success.map(\.wire), failure: failure.map(\.wire))
    }
}

/// Which branch ran, what its operations returned, and the store revision after it.
public struct EtcdTxnResult: Sendable, Equatable {
    public var succeeded: Bool
    public var results: [EtcdOperationResult]
    public var revision: Int64
}

/// One change seen by a watch.
public struct EtcdWatchEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case put, delete }
    public var kind: Kind
    /// For a delete, only `key` and `modRevision` are set.
    public var keyValue: EtcdKeyValue
}
