import GTID

/// dmsim's uses of MariaDB GTID positions: reading server variables leniently, restricting
/// a position to a source's domains, and printing it the way DM (go-mysql) does.
extension MariaDBGTIDPosition {
    /// A server variable's position; an unreadable value counts as empty, because one odd
    /// variable must not stop a status report (the servers are the source of truth anyway).
    init(serverText text: String) {
        self = (try? MariaDBGTIDPosition(text)) ?? MariaDBGTIDPosition()
    }

    func restricted(to domains: Set<UInt32>) -> MariaDBGTIDPosition {
        MariaDBGTIDPosition(gtids.filter { domains.contains($0.domain) })
    }

    /// Replaces the entries of `other`'s domains with `other`'s entries.
    func replacingDomains(with other: MariaDBGTIDPosition) -> MariaDBGTIDPosition {
        MariaDBGTIDPosition(gtids.filter { !other.domains.contains($0.domain) } + other.gtids)
    }

    /// DM's rendering: entries sorted as strings, joined by commas, no spaces.
    var dmText: String { gtids.map(\.description).sorted().joined(separator: ",") }
}
