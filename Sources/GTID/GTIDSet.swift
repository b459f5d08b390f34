/// A MySQL GTID set: for each originating server (its UUID, optionally with a
/// MySQL 8.4 tag) the transaction numbers it contains.
///
/// dmswitch keeps GTID sets as values and does the algebra itself instead of
/// asking a server (`GTID_SUBSET()`): the safety check must work while the
/// upstream is down, and must compare what DM printed with what a candidate
/// printed. Printing is canonical — lowercase, sorted, merged intervals,
/// `N` for a single transaction — which is also how DM prints sets.
public struct GTIDSet: Hashable, Sendable, CustomStringConvertible {
    /// One origin of transactions: a server UUID and a tag ("" when untagged).
    struct Origin: Hashable, Comparable, Sendable {
        let uuid: String
        let tag: String

        static func < (lhs: Origin, rhs: Origin) -> Bool {
            (lhs.uuid, lhs.tag) < (rhs.uuid, rhs.tag)
        }
    }

    /// Never holds an empty interval set, so equal sets compare equal.
    private(set) var origins: [Origin: IntervalSet]

    /// The empty set.
    public init() {
        origins = [:]
    }

    init(origins: [Origin: IntervalSet]) {
        self.origins = origins.filter { !$0.value.isEmpty }
    }

    /// Parses what servers and DM print: `uuid:1-5:7-9,uuid2:3`, any case,
    /// whitespace and `,\n` separators, tagged `uuid:tag:1-5`, or nothing.
    public init(_ text: String) throws(GTIDParseError) {
        self = try GTIDSetParser.parse(text)
    }

    public var isEmpty: Bool { origins.isEmpty }

    /// How many transactions the set names.
    public var transactionCount: UInt64 {
        origins.values.reduce(0) { $0 &+ $1.count }
    }

    /// The lowercase UUIDs of the servers that originated transactions here.
    public var sourceUUIDs: Set<String> {
        Set(origins.keys.map(\.uuid))
    }

    public func isSubset(of other: GTIDSet) -> Bool {
        origins.allSatisfy { origin, intervals in
            other.origins[origin].map { intervals.isSubset(of: $0) } ?? false
        }
    }

    public func union(_ other: GTIDSet) -> GTIDSet {
        GTIDSet(origins: origins.merging(other.origins) { $0.union($1) })
    }

    public func subtracting(_ other: GTIDSet) -> GTIDSet {
        GTIDSet(origins: origins.reduce(into: [:]) { result, entry in
            result[entry.key] = other.origins[entry.key].map { entry.value.subtracting($0) } ?? entry.value
        })
    }

    public func intersection(_ other: GTIDSet) -> GTIDSet {
        GTIDSet(origins: origins.reduce(into: [:]) { result, entry in
            if let theirs = other.origins[entry.key] { result[entry.key] = entry.value.intersection(theirs) }
        })
    }

    /// Canonical text: `uuid:1-5:7:tag:1-3,uuid2:9`; "" for the empty set.
    public var description: String {
        let byUUID = Dictionary(grouping: origins.keys, by: \.uuid)
        return byUUID.keys.sorted().map { uuid in
            let parts = byUUID[uuid]!.sorted().map { origin in
                let intervals = origins[origin]!.text
                return origin.tag.isEmpty ? intervals : "\(origin.tag):\(intervals)"
            }
            return "\(uuid):" + parts.joined(separator: ":")
        }.joined(separator: ",")
    }
}
