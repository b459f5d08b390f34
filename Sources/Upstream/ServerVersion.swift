import GTID

/// A server's product and version, from the handshake or `@@version`.
///
/// The flavor decides which statements a probe may send: MariaDB has no
/// `@@server_uuid` and keeps GTIDs as `domain-server-sequence` positions; MySQL
/// renamed `SHOW SLAVE STATUS` to `SHOW REPLICA STATUS` in 8.0.22.
public struct ServerVersion: Equatable, Sendable, CustomStringConvertible {
    public var flavor: GTIDFlavor
    public var major: Int
    public var minor: Int
    public var patch: Int
    /// The full version text, e.g. `10.11.6-MariaDB-0+deb12u1-log`.
    public var text: String

    public init(flavor: GTIDFlavor, major: Int, minor: Int, patch: Int, text: String) {
        self.flavor = flavor
        self.major = major
        self.minor = minor
        self.patch = patch
        self.text = text
    }

    /// Parses `@@version` (optionally with `@@version_comment`, which names the
    /// product on some builds). MariaDB servers speaking to old clients prefix
    /// the handshake version with `5.5.5-`; that prefix is skipped.
    public init?(version: String, comment: String = "") {
        var text = Substring(version)
        let isMariaDB = version.lowercased().contains("mariadb") || comment.lowercased().contains("mariadb")
        if isMariaDB && text.hasPrefix("5.5.5-") {
            text = text.dropFirst("5.5.5-".count)
        }
        let numeric = text.prefix { $0.isNumber || $0 == "." }
        let parts = numeric.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count >= 2, let major = parts[0], let minor = parts[1] else { return nil }
        let patch = parts.count >= 3 ? (parts[2] ?? 0) : 0
        self.init(flavor: isMariaDB ? .mariadb : .mysql, major: major, minor: minor, patch: patch, text: String(text))
    }

    /// True when this version is at least `major.minor.patch`.
    public func isAtLeast(_ major: Int, _ minor: Int, _ patch: Int = 0) -> Bool {
        (self.major, self.minor, self.patch) >= (major, minor, patch)
    }

    public var description: String {
        "\(flavor.rawValue) \(major).\(minor).\(patch)"
    }
}
