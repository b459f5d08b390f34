import GTID

/// The one multi-variable SELECT a probe sends, and the parsing of its row.
///
/// One round trip reads identity, read_only, gtid-E (and on MySQL gtid-P) and
/// the preflight settings. The statement depends on the flavor – MariaDB has
/// no `@@server_uuid` and MySQL no `@@gtid_binlog_pos`, and naming an unknown
/// variable fails the whole SELECT – so the flavor is taken from the handshake
/// first. MySQL 8.0.26 renamed `log_slave_updates` to `log_replica_updates`
/// (MySQL 8.0 Reference Manual, 17.1.6.4 "Binary Logging Options and Variables").
public enum ServerVariables {
    /// The column aliases of the SELECT, in order.
    static func columns(for version: ServerVersion) -> [(alias: String, variable: String)] {
        var columns: [(String, String)] = [
            ("version", "@@GLOBAL.version"),
            ("version_comment", "@@GLOBAL.version_comment"),
            ("server_id", "@@GLOBAL.server_id"),
            ("read_only", "@@GLOBAL.read_only"),
            ("log_bin", "@@GLOBAL.log_bin"),
            ("binlog_format", "@@GLOBAL.binlog_format"),
        ]
        switch version.flavor {
        case .mysql:
            let replicaUpdates = version.isAtLeast(8, 0, 26) ? "@@GLOBAL.log_replica_updates" : "@@GLOBAL.log_slave_updates"
            columns += [
                ("server_uuid", "@@GLOBAL.server_uuid"),
                ("super_read_only", "@@GLOBAL.super_read_only"),
                ("gtid_executed", "@@GLOBAL.gtid_executed"),
                ("gtid_purged", "@@GLOBAL.gtid_purged"),
                ("log_slave_updates", replicaUpdates),
                ("gtid_mode", "@@GLOBAL.gtid_mode"),
                ("enforce_gtid_consistency", "@@GLOBAL.enforce_gtid_consistency"),
            ]
        case .mariadb:
            columns += [
                ("gtid_domain_id", "@@GLOBAL.gtid_domain_id"),
                ("gtid_binlog_pos", "@@GLOBAL.gtid_binlog_pos"),
                ("gtid_slave_pos", "@@GLOBAL.gtid_slave_pos"),
                ("log_slave_updates", "@@GLOBAL.log_slave_updates"),
                ("gtid_strict_mode", "@@GLOBAL.gtid_strict_mode"),
            ]
        }
        return columns
    }

    /// The SELECT for a server of `version`.
    public static func statement(for version: ServerVersion) -> String {
        "SELECT " + columns(for: version).map { "\($0.variable) AS \($0.alias)" }.joined(separator: ", ")
    }

    /// What the SELECT row says, before the binary-log and replication statements add to it.
    public struct Values: Equatable, Sendable {
        public var version: ServerVersion
        public var versionComment: String
        public var serverID: UInt32
        public var gtidDomainID: UInt32?
        public var serverIdentity: String
        public var readOnly: Bool
        public var gtidE: GTIDValue
        /// MySQL `@@gtid_purged`; nil on MariaDB (read from the oldest binary log instead).
        public var gtidP: GTIDValue?
        /// MariaDB `@@gtid_slave_pos`; nil on MySQL.
        public var gtidSlavePos: String?
        public var preflight: PreflightFacts
    }

    /// Parses the SELECT's row. `flavor` is the one the statement was built for.
    public static func parse(_ row: Row, flavor: GTIDFlavor) throws(ObservationParseError) -> Values {
        func required(_ alias: String) throws(ObservationParseError) -> String {
            guard let value = row[alias] else {
                throw ObservationParseError(field: "@@\(alias)", text: nil, reason: "the server returned no value")
            }
            return value
        }
        func gtid(_ alias: String) throws(ObservationParseError) -> GTIDValue {
            let text = try required(alias)
            do {
                return try GTIDValue(text, flavor: flavor)
            } catch {
                throw ObservationParseError(field: "@@\(alias)", text: text, reason: error.description)
            }
        }
        func unsigned(_ alias: String) throws(ObservationParseError) -> UInt32 {
            let text = try required(alias)
            guard let value = UInt32(text) else {
                throw ObservationParseError(field: "@@\(alias)", text: text, reason: "it is not a 32-bit unsigned number")
            }
            return value
        }

        let versionText = try required("version")
        let comment = row["version_comment"] ?? ""
        guard var version = ServerVersion(version: versionText, comment: comment) else {
            throw ObservationParseError(field: "@@version", text: versionText, reason: "it does not start with a version number")
        }
        version.flavor = flavor
        let serverID = try unsigned("server_id")
        let logBin = flag(try required("log_bin"))
        let preflightBase = (logBin: logBin, slaveUpdates: flag(try required("log_slave_updates")),
                             format: try required("binlog_format"))

        switch flavor {
        case .mysql:
            let uuid = try required("server_uuid")
            return Values(
                version: version, versionComment: comment, serverID: serverID, gtidDomainID: nil,
                serverIdentity: uuid.lowercased(),
                readOnly: flag(try required("read_only")) || flag(row["super_read_only"] ?? "0"),
                gtidE: try gtid("gtid_executed"), gtidP: try gtid("gtid_purged"), gtidSlavePos: nil,
                preflight: PreflightFacts(
                    logBin: preflightBase.logBin, logSlaveUpdates: preflightBase.slaveUpdates,
                    gtidMode: try required("gtid_mode"), enforceGTIDConsistency: row["enforce_gtid_consistency"],
                    gtidStrictMode: nil, binlogFormat: preflightBase.format)
            )
        case .mariadb:
            let domain = try unsigned("gtid_domain_id")
            let slavePos = try required("gtid_slave_pos")
            return Values(
                version: version, versionComment: comment, serverID: serverID, gtidDomainID: domain,
                serverIdentity: "\(domain)-\(serverID)",
                readOnly: flag(try required("read_only")),
                gtidE: try gtid("gtid_binlog_pos"), gtidP: nil, gtidSlavePos: slavePos,
                preflight: PreflightFacts(
                    logBin: preflightBase.logBin, logSlaveUpdates: preflightBase.slaveUpdates,
                    gtidMode: nil, enforceGTIDConsistency: nil,
                    gtidStrictMode: flag(try required("gtid_strict_mode")), binlogFormat: preflightBase.format)
            )
        }
    }

    /// Reads a boolean system variable: `1`/`ON`/`YES` and MariaDB's `read_only`
    /// levels (`NO_LOCK`, …) are on; `0`/`OFF`/`NO`/empty are off.
    static func flag(_ text: String) -> Bool {
        switch text.uppercased() {
        case "0", "OFF", "NO", "FALSE", "": false
        default: true
        }
    }
}
