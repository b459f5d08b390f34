/// One MariaDB GTID: `domain-server-sequence`.
public struct MariaDBGTID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var domain: UInt32
    public var server: UInt32
    public var sequence: UInt64

    public init(domain: UInt32, server: UInt32, sequence: UInt64) {
        self.domain = domain
        self.server = server
        self.sequence = sequence
    }

    public static func < (lhs: MariaDBGTID, rhs: MariaDBGTID) -> Bool {
        (lhs.domain, lhs.server, lhs.sequence) < (rhs.domain, rhs.server, rhs.sequence)
    }

    public var description: String { "\(domain)-\(server)-\(sequence)" }
}

/// A MariaDB GTID position: the last GTID per replication domain, as in
/// `@@gtid_binlog_pos`, `@@gtid_slave_pos` and DM's `syncerBinlogGtid`.
///
/// Unlike a MySQL set it names no gaps: with `gtid_strict_mode` sequence
/// numbers grow monotonically within a domain, so "up to sequence N in domain
/// D" describes everything applied. DM ≥ v8.1 prints one entry per (domain,
/// server), so a domain may appear more than once; the highest sequence of a
/// domain is what counts.
public struct MariaDBGTIDPosition: Hashable, Sendable, CustomStringConvertible {
    /// The entries, sorted by domain, server; one per (domain, server).
    public private(set) var gtids: [MariaDBGTID]

    public init() {
        gtids = []
    }

    public init(_ gtids: [MariaDBGTID]) {
        var highest: [MariaDBGTID] = []
        for gtid in gtids.sorted() {
            if let last = highest.last, last.domain == gtid.domain, last.server == gtid.server {
                highest[highest.count - 1] = gtid
            } else {
                highest.append(gtid)
            }
        }
        self.gtids = highest
    }

    /// Parses `0-1-100,1-2-7` (whitespace allowed, "" is empty).
    public init(_ text: String) throws(GTIDParseError) {
        self = try MariaDBPositionParser.parse(text)
    }

    public var isEmpty: Bool { gtids.isEmpty }

    public var domains: Set<UInt32> { Set(gtids.map(\.domain)) }

    /// The highest sequence number listed for `domain`, nil if absent.
    public func sequence(inDomain domain: UInt32) -> UInt64? {
        gtids.filter { $0.domain == domain }.map(\.sequence).max()
    }

    /// Whether this position has applied everything up to `other`, per domain:
    /// every domain of `other` is here with a sequence at least as high.
    public func includes(_ other: MariaDBGTIDPosition) -> Bool {
        other.domains.allSatisfy { domain in
            (sequence(inDomain: domain) ?? 0) >= other.sequence(inDomain: domain)!
        }
    }

    /// What `other` has beyond this position, per domain.
    public func missing(comparedTo other: MariaDBGTIDPosition) -> [MariaDBGTIDGap] {
        other.domains.sorted().compactMap { domain in
            let mine = sequence(inDomain: domain) ?? 0
            let theirs = other.sequence(inDomain: domain)!
            return theirs > mine ? MariaDBGTIDGap(domain: domain, after: mine, through: theirs) : nil
        }
    }

    /// The per-(domain, server) maximum of both positions.
    public func union(_ other: MariaDBGTIDPosition) -> MariaDBGTIDPosition {
        MariaDBGTIDPosition(gtids + other.gtids)
    }

    /// Sum over domains of the highest sequence: how far this position has come.
    public var transactionCount: UInt64 {
        domains.reduce(0) { $0 &+ (sequence(inDomain: $1) ?? 0) }
    }

    public var description: String {
        gtids.map(\.description).joined(separator: ",")
    }
}

/// Transactions of one domain that one position has and another lacks:
/// the sequence numbers after `after`, through `through`.
public struct MariaDBGTIDGap: Hashable, Sendable, CustomStringConvertible {
    public var domain: UInt32
    public var after: UInt64
    public var through: UInt64

    public init(domain: UInt32, after: UInt64, through: UInt64) {
        self.domain = domain
        self.after = after
        self.through = through
    }

    /// `domain 0: 101-120` (or `domain 0: 101` for one transaction).
    public var description: String {
        after + 1 == through ? "domain \(domain): \(through)" : "domain \(domain): \(after + 1)-\(through)"
    }
}

/// `position := "" | gtid ("," gtid)*`, `gtid := domain "-" server "-" sequence`
/// (MariaDB Knowledge Base, "Global Transaction ID"): domain and server are
/// 32-bit, the sequence 64-bit.
enum MariaDBPositionParser {
    static func parse(_ text: String) throws(GTIDParseError) -> MariaDBGTIDPosition {
        var cursor = TextCursor(text)
        var gtids: [MariaDBGTID] = []
        var seen: Set<[UInt64]> = []
        cursor.skipWhitespace()
        if cursor.atEnd { return MariaDBGTIDPosition() }
        while true {
            let start = cursor.offset
            let domain = try cursor.number("a domain id", limit: UInt64(UInt32.max))
            try cursor.expect(UInt8(ascii: "-"), "'-' after the domain id")
            let server = try cursor.number("a server id", limit: UInt64(UInt32.max))
            try cursor.expect(UInt8(ascii: "-"), "'-' after the server id")
            let sequence = try cursor.number("a sequence number", limit: UInt64.max)
            guard seen.insert([domain, server]).inserted else {
                throw cursor.error("each domain-server pair at most once (\(domain)-\(server) repeats)", at: start)
            }
            gtids.append(MariaDBGTID(domain: UInt32(domain), server: UInt32(server), sequence: sequence))
            cursor.skipWhitespace()
            if cursor.atEnd { break }
            try cursor.expect(UInt8(ascii: ","), "',' between GTIDs or the end")
            cursor.skipWhitespace()
        }
        return MariaDBGTIDPosition(gtids)
    }
}
