/// The etcd key layout shared by every dmswitchd of one installation.
///
/// ```
/// <prefix>/groups/<group>/owner                 lease-backed; JSON OwnerRecord of the daemon running the group
/// <prefix>/groups/<group>/journal/<seq>         one run-journal record; seq zero-padded to 20 digits, from 1
/// <prefix>/groups/<group>/cooldown              opaque cooldown state of the group
/// <prefix>/holds/<group>  and  <prefix>/holds/all   opaque hold payloads, watched by every daemon
/// <prefix>/health                               never written; read linearizably to prove quorum
/// ```
/// Sequence numbers are zero-padded so that key order is numeric order.
public struct CoordinationKeys: Sendable, Equatable {
    /// Starts with "/" and has no trailing "/": `/dmswitch`.
    public let prefix: String

    public static let defaultPrefix = "/dmswitch"
    /// The hold key that applies to every group.
    public static let allGroupsHold = "all"
    static let sequenceDigits = 20

    public init(prefix: String = CoordinationKeys.defaultPrefix) throws(EtcdError) {
        var text = prefix
        while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
        guard text.hasPrefix("/"), text.count > 1 else {
            throw .invalidName(what: "key prefix", name: prefix, reason: "it must start with \"/\" and name something, like \"/dmswitch\"")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidName(what: "key prefix", name: prefix, reason: "it contains control characters")
        }
        self.prefix = text
    }

    /// Refuses names that would break the layout (a "/" would reach into
    /// another group's keys) or that cannot be told apart in logs.
    public static func validateGroup(_ group: String) throws(EtcdError) {
        func refuse(_ reason: String) -> EtcdError { .invalidName(what: "group name", name: group, reason: reason) }
        guard !group.isEmpty else { throw refuse("it is empty") }
        guard group.utf8.count <= 200 else { throw refuse("it is longer than 200 bytes") }
        guard !group.contains("/") else { throw refuse("it contains \"/\"") }
        guard group != "." && group != ".." else { throw refuse("it is a path component") }
        guard !group.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) else {
            throw refuse("it contains spaces or control characters")
        }
    }

    public func group(_ group: String) throws(EtcdError) -> String {
        try Self.validateGroup(group)
        return "\(prefix)/groups/\(group)"
    }

    public func owner(_ group: String) throws(EtcdError) -> String {
        try self.group(group) + "/owner"
    }

    /// The journal directory of a group, with its trailing "/".
    public func journalPrefix(_ group: String) throws(EtcdError) -> String {
        try self.group(group) + "/journal/"
    }

    public func journalEntry(_ group: String, sequence: UInt64) throws(EtcdError) -> String {
        try journalPrefix(group) + Self.padded(sequence)
    }

    public func cooldown(_ group: String) throws(EtcdError) -> String {
        try self.group(group) + "/cooldown"
    }

    /// The hold directory, with its trailing "/": the prefix every daemon watches.
    public var holdsPrefix: String { "\(prefix)/holds/" }

    public func hold(_ scope: HoldScope) throws(EtcdError) -> String {
        switch scope {
        case .all:
            return holdsPrefix + Self.allGroupsHold
        case .group(let group):
            try Self.validateGroup(group)
            guard group != Self.allGroupsHold else {
                throw .invalidName(what: "group name", name: group, reason: "\"all\" is the hold key for every group")
            }
            return holdsPrefix + group
        }
    }

    /// The scope a key under `holdsPrefix` stands for; nil for a key outside it.
    public func holdScope(forKey key: String) -> HoldScope? {
        guard key.hasPrefix(holdsPrefix) else { return nil }
        let name = String(key.dropFirst(holdsPrefix.count))
        if name == Self.allGroupsHold { return .all }
        guard (try? Self.validateGroup(name)) != nil else { return nil }
        return .group(name)
    }

    public var health: String { "\(prefix)/health" }

    static func padded(_ sequence: UInt64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, sequenceDigits - digits.count)) + digits
    }

    /// The sequence number at the end of a journal key.
    static func sequence(inJournalKey key: String, prefix journalPrefix: String) -> UInt64? {
        guard key.hasPrefix(journalPrefix) else { return nil }
        let tail = key.dropFirst(journalPrefix.count)
        guard tail.count == sequenceDigits, tail.allSatisfy(\.isASCII) else { return nil }
        return UInt64(tail)
    }
}

/// What a hold applies to: one group, or every group.
public enum HoldScope: Hashable, Sendable, CustomStringConvertible {
    case all
    case group(String)

    public var description: String {
        switch self {
        case .all: "all groups"
        case .group(let group): "group \"\(group)\""
        }
    }
}
