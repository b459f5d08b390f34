/// Which GTID dialect a server speaks.
public enum GTIDFlavor: String, Sendable, CaseIterable, CustomStringConvertible {
    case mysql
    case mariadb

    public var description: String { rawValue }
}

/// What a server has executed or purged, or what DM has taken, in either
/// dialect — the one type the safety model compares.
///
/// For candidate C and each task's gtid-S the switch is safe when
/// `C.gtidP.isContained(in: gtidS)` and `gtidS.isContained(in: C.gtidE)`.
public enum GTIDValue: Hashable, Sendable, CustomStringConvertible {
    case mysql(GTIDSet)
    case mariadb(MariaDBGTIDPosition)

    public init(_ text: String, flavor: GTIDFlavor) throws(GTIDParseError) {
        switch flavor {
        case .mysql: self = .mysql(try GTIDSet(text))
        case .mariadb: self = .mariadb(try MariaDBGTIDPosition(text))
        }
    }

    /// Parses text whose dialect is not known: MySQL sets always contain ':'
    /// and MariaDB positions never do. Empty text takes `fallback`.
    public init(inferringFlavorOf text: String, fallback: GTIDFlavor) throws(GTIDParseError) {
        let flavor: GTIDFlavor
        if text.contains(":") {
            flavor = .mysql
        } else if text.contains(where: { !$0.isWhitespace }) {
            flavor = .mariadb
        } else {
            flavor = fallback
        }
        try self.init(text, flavor: flavor)
    }

    public static func empty(_ flavor: GTIDFlavor) -> GTIDValue {
        switch flavor {
        case .mysql: .mysql(GTIDSet())
        case .mariadb: .mariadb(MariaDBGTIDPosition())
        }
    }

    public var flavor: GTIDFlavor {
        switch self {
        case .mysql: .mysql
        case .mariadb: .mariadb
        }
    }

    public var isEmpty: Bool {
        switch self {
        case .mysql(let set): set.isEmpty
        case .mariadb(let position): position.isEmpty
        }
    }

    /// MySQL: transactions in the set; MariaDB: the sum of per-domain sequences.
    /// Used to rank candidates by how much they have.
    public var transactionCount: UInt64 {
        switch self {
        case .mysql(let set): set.transactionCount
        case .mariadb(let position): position.transactionCount
        }
    }

    /// Where transactions came from: MySQL server UUIDs, MariaDB domain ids.
    /// A candidate of the same replication group knows the origins of gtid-S.
    public var originIDs: Set<String> {
        switch self {
        case .mysql(let set): set.sourceUUIDs
        case .mariadb(let position): Set(position.domains.map { String($0) })
        }
    }

    /// Whether everything in `self` is also in `other`. Values of different
    /// flavors are never contained in each other.
    public func isContained(in other: GTIDValue) -> Bool {
        switch (self, other) {
        case (.mysql(let mine), .mysql(let theirs)): mine.isSubset(of: theirs)
        case (.mariadb(let mine), .mariadb(let theirs)): theirs.includes(mine)
        default: false
        }
    }

    /// What `self` has that `other` lacks.
    public func missing(from other: GTIDValue) -> GTIDDifference {
        switch (self, other) {
        case (.mysql(let mine), .mysql(let theirs)): .mysql(mine.subtracting(theirs))
        case (.mariadb(let mine), .mariadb(let theirs)): .mariadb(theirs.missing(comparedTo: mine))
        default: .flavorMismatch
        }
    }

    /// Everything in either value (MariaDB: the per-domain maximum).
    /// Values of different flavors cannot be combined; `self` is returned.
    public func union(_ other: GTIDValue) -> GTIDValue {
        switch (self, other) {
        case (.mysql(let mine), .mysql(let theirs)): .mysql(mine.union(theirs))
        case (.mariadb(let mine), .mariadb(let theirs)): .mariadb(mine.union(theirs))
        default: self
        }
    }

    public var description: String {
        switch self {
        case .mysql(let set): set.description
        case .mariadb(let position): position.description
        }
    }
}

/// The transactions one GTID value has and another lacks, in the dialect of both.
public enum GTIDDifference: Hashable, Sendable, CustomStringConvertible {
    case mysql(GTIDSet)
    case mariadb([MariaDBGTIDGap])
    /// A MySQL value was compared with a MariaDB one; nothing is known.
    case flavorMismatch

    /// True when nothing is missing (never for a flavor mismatch).
    public var isEmpty: Bool {
        switch self {
        case .mysql(let set): set.isEmpty
        case .mariadb(let gaps): gaps.isEmpty
        case .flavorMismatch: false
        }
    }

    public var description: String {
        switch self {
        case .mysql(let set): set.description
        case .mariadb(let gaps): gaps.map(\.description).joined(separator: ", ")
        case .flavorMismatch: "(a MySQL GTID set cannot be compared with a MariaDB GTID position)"
        }
    }
}
