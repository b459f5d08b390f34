import GTID

/// The relay log sub-directory DM is writing, `<identity>.<suffix>` (dm-interface §8.1).
///
/// The identity is the upstream's `server_uuid` (MySQL) or `<gtid_domain_id>-<server_id>`
/// (MariaDB); the six-digit suffix grows by one every time the relay sees a new upstream. So a
/// runbook that moved a VIP can check that DM really follows the new instance: the identity
/// matches the candidate and the suffix grew.
public struct DMRelaySubDir: Hashable, Sendable, CustomStringConvertible {
    /// The upstream identity prefix: MySQL `server_uuid`, MariaDB `domain-serverid`.
    public var identity: String
    /// The sequence number after the last dot, e.g. 2 for `….000002`.
    public var suffix: Int

    public init(identity: String, suffix: Int) {
        self.identity = identity
        self.suffix = suffix
    }

    /// Parses `3ccc475b-2343-11e7-be21-6c0b84d59f30.000001` or `0-1.000002`; `nil` when the
    /// text has no identity, no dot, or a suffix that is not a decimal number.
    public init?(_ text: String) {
        guard let dot = text.lastIndex(of: ".") else { return nil }
        let identity = String(text[..<dot])
        let digits = text[text.index(after: dot)...]
        guard !identity.isEmpty, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let suffix = Int(digits)
        else { return nil }
        self.init(identity: identity, suffix: suffix)
    }

    /// The flavor the identity implies: a UUID means MySQL, `domain-server` means MariaDB.
    public var impliedFlavor: GTIDFlavor? {
        let parts = identity.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) {
            return .mariadb
        }
        if identity.count == 36, parts.count == 5 { return .mysql }
        return nil
    }

    /// The sub-directory name as DM prints it.
    public var description: String {
        let digits = String(suffix)
        return identity + "." + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
