import Foundation

/// A MariaDB GTID position list (`0-1-100,1-2-7`) as DM prints it.
///
/// dmsim only needs to restrict a server's position to a source's domains and print it the
/// way go-mysql does (entries sorted as strings, comma-joined, no spaces), so a tiny value
/// type suffices; the set algebra lives in module GTID.
struct MariaDBPosition: Equatable {
    struct Entry: Equatable {
        var domain: UInt32
        var server: UInt32
        var sequence: UInt64
    }

    var entries: [Entry]

    /// Reads a server's position text; malformed entries are skipped, never fatal, because
    /// the text comes from a server variable and a partial answer is still informative.
    init(_ text: String) {
        entries = text.split(whereSeparator: { $0 == "," || $0 == "\n" }).compactMap { raw in
            let parts = raw.trimmingCharacters(in: .whitespaces).split(separator: "-")
            guard parts.count == 3, let domain = UInt32(parts[0]), let server = UInt32(parts[1]),
                  let sequence = UInt64(parts[2]) else { return nil }
            return Entry(domain: domain, server: server, sequence: sequence)
        }
    }

    var domains: Set<UInt32> { Set(entries.map(\.domain)) }

    func restricted(to domains: Set<UInt32>) -> MariaDBPosition {
        var copy = self
        copy.entries = entries.filter { domains.contains($0.domain) }
        return copy
    }

    /// Replaces the entries of `other`'s domains with `other`'s entries.
    func replacingDomains(with other: MariaDBPosition) -> MariaDBPosition {
        var copy = self
        copy.entries = entries.filter { !other.domains.contains($0.domain) } + other.entries
        return copy
    }

    /// DM's rendering: entries as `domain-server-seq`, sorted as strings, joined by commas.
    var text: String {
        entries.map { "\($0.domain)-\($0.server)-\($0.sequence)" }.sorted().joined(separator: ",")
    }
}
