import GTID
import Testing
@testable import Upstream

@Suite("Server variables: the probe's one SELECT and its row")
struct ServerVariablesTests {
    @Test("The MariaDB SELECT reads domain, binlog and slave positions but no server_uuid")
    func mariadbStatement() throws {
        let version = try #require(ServerVersion(version: "10.11.6-MariaDB-log"))
        let sql = ServerVariables.statement(for: version)
        #expect(sql.contains("@@GLOBAL.gtid_binlog_pos AS gtid_binlog_pos"))
        #expect(sql.contains("@@GLOBAL.gtid_domain_id AS gtid_domain_id"))
        #expect(!sql.contains("server_uuid"))
    }

    @Test("MySQL before 8.0.26 reads log_slave_updates, later versions log_replica_updates", arguments: [
        ("8.0.25", "@@GLOBAL.log_slave_updates AS log_slave_updates"),
        ("8.0.26", "@@GLOBAL.log_replica_updates AS log_slave_updates"),
        ("5.7.44", "@@GLOBAL.log_slave_updates AS log_slave_updates"),
    ])
    func mysqlReplicaUpdates(version: String, expected: String) throws {
        let parsed = try #require(ServerVersion(version: version))
        #expect(ServerVariables.statement(for: parsed).contains(expected))
    }

    @Test("A recorded MySQL 8.0 row gives identity, read_only from super_read_only, gtid-E, gtid-P and preflight")
    func mysqlRow() throws {
        let uuid = "3E11FA47-71CA-11E1-9E33-C80AA9429562"
        let row = Row([
            "version": "8.0.36", "version_comment": "MySQL Community Server - GPL", "server_id": "101",
            "read_only": "0", "log_bin": "1", "binlog_format": "ROW", "server_uuid": uuid, "super_read_only": "1",
            "gtid_executed": "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2051,\n8a94f357-aab4-11df-86ab-c80aa9429562:1-12",
            "gtid_purged": "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-1000",
            "log_slave_updates": "1", "gtid_mode": "ON", "enforce_gtid_consistency": "ON",
        ])
        let values = try ServerVariables.parse(row, flavor: .mysql)
        #expect(values.serverIdentity == uuid.lowercased())
        #expect(values.readOnly)
        #expect(values.gtidE.transactionCount == 2063)
        #expect(values.gtidP == (try GTIDValue("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-1000", flavor: .mysql)))
        #expect(values.preflight == PreflightFacts(logBin: true, logSlaveUpdates: true, gtidMode: "ON",
                                                   enforceGTIDConsistency: "ON", gtidStrictMode: nil, binlogFormat: "ROW"))
        #expect(values.version.flavor == .mysql && values.version.major == 8 && values.version.patch == 36)
    }

    @Test("A MariaDB row's identity is domain-serverid and gtid-P is left to the binary logs")
    func mariadbRow() throws {
        let row = Row([
            "version": "10.11.6-MariaDB-0+deb12u1-log", "version_comment": "Debian 12", "server_id": "3",
            "read_only": "1", "log_bin": "1", "binlog_format": "ROW", "gtid_domain_id": "0",
            "gtid_binlog_pos": "0-1-120", "gtid_slave_pos": "0-1-120", "log_slave_updates": "1", "gtid_strict_mode": "1",
        ])
        let values = try ServerVariables.parse(row, flavor: .mariadb)
        #expect(values.serverIdentity == "0-3")
        #expect(values.gtidDomainID == 0)
        #expect(values.readOnly)
        #expect(values.gtidP == nil)
        #expect(values.gtidSlavePos == "0-1-120")
        #expect(values.preflight.gtidStrictMode == true)
        #expect(values.preflight.gtidMode == nil)
    }

    @Test("A non-numeric server_id is a parse error, not a crash")
    func badServerID() {
        let row = Row(["version": "10.11.6-MariaDB", "server_id": "x", "log_bin": "1", "log_slave_updates": "1", "binlog_format": "ROW"])
        #expect(throws: ObservationParseError.self) { try ServerVariables.parse(row, flavor: .mariadb) }
    }

    @Test("Version strings parse to flavor and numbers", arguments: [
        ("10.11.6-MariaDB-0+deb12u1-log", "", GTIDFlavor.mariadb, 10, 11, 6),
        ("5.5.5-10.6.12-MariaDB", "", .mariadb, 10, 6, 12),
        ("8.0.36-28", "Percona Server (GPL), Release 28", .mysql, 8, 0, 36),
        ("11.4.2-MariaDB", "", .mariadb, 11, 4, 2),
        ("5.7.44-log", "MySQL Community Server (GPL)", .mysql, 5, 7, 44),
    ])
    func versions(text: String, comment: String, flavor: GTIDFlavor, major: Int, minor: Int, patch: Int) throws {
        let version = try #require(ServerVersion(version: text, comment: comment))
        #expect(version.flavor == flavor)
        #expect([version.major, version.minor, version.patch] == [major, minor, patch])
    }

    @Test("Boolean variables accept the server's spellings", arguments: [
        ("1", true), ("ON", true), ("NO_LOCK", true), ("0", false), ("OFF", false), ("", false),
    ])
    func flags(text: String, expected: Bool) {
        #expect(ServerVariables.flag(text) == expected)
    }
}
