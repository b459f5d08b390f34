import GTID

/// Reads the GTID strings of dmctl's replies (`syncerBinlogGtid`, `relayBinlogGtid`,
/// `masterBinlogGtid`) into `GTIDValue`s of the source's flavor.
///
/// DM prints GTIDs without saying whose they are. The flavor comes from the daemon's
/// configuration when it knows the group; otherwise from the text itself: a MySQL GTID set
/// always contains ':' (`uuid:1-5`), a MariaDB position never does (`0-1-100`), and the relay
/// sub-directory's identity tells the two apart too. An empty string is the empty value of the
/// flavor, which is a real answer ("DM has taken nothing"), so it is only produced when the
/// flavor is known; otherwise it stays `nil` ("unknown") rather than guessing.
enum DMGTIDField {
    /// The flavor a non-empty GTID text implies.
    static func impliedFlavor(of text: String) -> GTIDFlavor? {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { return nil }
        return trimmed.contains(":") ? .mysql : .mariadb
    }

    /// The flavor for one source element: the known one, else the first implied by its texts,
    /// else the one implied by its relay sub-directory.
    static func resolveFlavor(known: GTIDFlavor?, texts: [String?], subDir: DMRelaySubDir?) -> GTIDFlavor? {
        if let known { return known }
        for case let text? in texts {
            if let flavor = impliedFlavor(of: text) { return flavor }
        }
        return subDir?.impliedFlavor
    }

    /// Parses one GTID field; `nil` when the field is absent, or empty with an unknown flavor.
    static func parse(_ text: String?, path: String, flavor: GTIDFlavor?) throws(JSONShapeError) -> GTIDValue? {
        guard let text else { return nil }
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty {
            return flavor.map { GTIDValue.empty($0) }
        }
        guard let flavor = flavor ?? impliedFlavor(of: trimmed) else { return nil }
        do {
            return try GTIDValue(trimmed, flavor: flavor)
        } catch {
            throw JSONShapeError(path: path, problem: "is not a \(flavor.displayName) GTID value (\(error))")
        }
    }
}

extension GTIDFlavor {
    /// "MySQL" or "MariaDB", for messages.
    var displayName: String {
        switch self {
        case .mysql: "MySQL"
        case .mariadb: "MariaDB"
        }
    }
}
