import GTID
import Testing
@testable import Upstream

@Suite("Replication status parsing of recorded rows")
struct ReplicationStatusParserTests {
    typealias Rows = RecordedStatusRows

    @Test("MySQL 8.0.22 and later read SHOW REPLICA STATUS, older MySQL and MariaDB SHOW SLAVE STATUS", arguments: [
        ("8.0.36", "", "SHOW REPLICA STATUS"),
        ("8.0.22", "", "SHOW REPLICA STATUS"),
        ("8.0.21", "", "SHOW SLAVE STATUS"),
        ("5.7.44-log", "", "SHOW SLAVE STATUS"),
        ("8.4.2", "", "SHOW REPLICA STATUS"),
        ("10.11.6-MariaDB-0+deb12u1-log", "Debian 12", "SHOW SLAVE STATUS"),
    ])
    func statementChoice(version: String, comment: String, statement: String) throws {
        let parsed = try #require(ServerVersion(version: version, comment: comment))
        #expect(ReplicationStatusParser.statement(for: parsed) == statement)
    }

    @Test("A healthy MySQL 8.0 replica yields source, running threads, received and executed sets")
    func mysql80Healthy() throws {
        let status = try #require(try ReplicationStatusParser.parse([Rows.mysql80Healthy], flavor: .mysql))
        #expect(status.sourceHost == "db-orders-1.internal")
        #expect(status.sourcePort == 3306)
        #expect(status.sourceServerID == 101)
        #expect(status.sourceUUID == Rows.sourceUUID)
        #expect(status.ioRunning && status.sqlRunning)
        #expect(status.secondsBehind == 0)
        #expect(status.gtidPositioning == "1")
        #expect(status.received == (try GTIDValue("\(Rows.sourceUUID):1-2047", flavor: .mysql)))
        let executed = try #require(status.executed)
        #expect(executed == (try GTIDValue("\(Rows.sourceUUID):1-2045,\(Rows.replicaUUID):1-12", flavor: .mysql)))
        #expect(executed.originIDs == [Rows.sourceUUID, Rows.replicaUUID])
        // Received but not yet applied: 2046-2047.
        let pending = try #require(status.received).missing(from: executed)
        #expect(pending == .mysql(try GTIDSet("\(Rows.sourceUUID):2046-2047")))
    }

    @Test("A MySQL replica whose source is down shows a connecting IO thread with its error and no lag value")
    func mysql80SourceDown() throws {
        let status = try #require(try ReplicationStatusParser.parse([Rows.mysql80SourceDown], flavor: .mysql))
        #expect(status.ioThread == .connecting)
        #expect(!status.ioRunning)
        #expect(status.sqlRunning)
        #expect(status.lastIOErrno == 2003)
        #expect(status.lastIOError.contains("Can't connect to MySQL server"))
        #expect(status.secondsBehind == nil)
    }

    @Test("MySQL 5.7 SHOW SLAVE STATUS columns map to the same fields")
    func mysql57() throws {
        let status = try #require(try ReplicationStatusParser.parse([Rows.mysql57SQLError], flavor: .mysql))
        #expect(status.sourceHost == "10.20.0.11")
        #expect(status.sourcePort == 3307)
        #expect(status.sourceServerID == 11)
        #expect(status.ioThread == .running)
        #expect(status.sqlThread == .stopped)
        #expect(status.lastSQLErrno == 1062)
        #expect(status.lastSQLError.hasPrefix("Could not execute Write_rows event"))
        #expect(status.received == (try GTIDValue("\(Rows.sourceUUID):5-40", flavor: .mysql)))
        #expect(status.executed == (try GTIDValue("\(Rows.sourceUUID):1-38", flavor: .mysql)))
    }

    @Test("With several MySQL channels the default channel is the one read")
    func defaultChannel() throws {
        let status = try #require(
            try ReplicationStatusParser.parse([Rows.mysql80OtherChannel, Rows.mysql80Healthy], flavor: .mysql))
        #expect(status.sourceHost == "db-orders-1.internal")
    }

    @Test("A MariaDB replica reports Gtid_IO_Pos as received and gtid_slave_pos as executed")
    func mariadb() throws {
        let status = try #require(
            try ReplicationStatusParser.parse([Rows.mariadb1011Healthy], flavor: .mariadb, gtidSlavePos: "0-1-118"))
        #expect(status.sourceHost == "127.0.0.1")
        #expect(status.sourcePort == 40001)
        #expect(status.sourceServerID == 1)
        #expect(status.sourceUUID == nil)
        #expect(status.gtidPositioning == "Slave_Pos")
        #expect(status.received == (try GTIDValue("0-1-120", flavor: .mariadb)))
        #expect(status.executed == (try GTIDValue("0-1-118", flavor: .mariadb)))
    }

    @Test("No row, or a row without a source host, means the instance is not a replica")
    func notAReplica() throws {
        #expect(try ReplicationStatusParser.parse([], flavor: .mysql) == nil)
        let blank = Row(["Master_Host": "", "Master_Port": "3306", "Slave_IO_Running": "No", "Slave_SQL_Running": "No"])
        #expect(try ReplicationStatusParser.parse([blank], flavor: .mariadb) == nil)
    }

    @Test("A malformed GTID set or a missing column is a parse error naming the column")
    func malformed() {
        let badSet = Row([
            "Source_Host": "h", "Source_Port": "3306", "Replica_IO_Running": "Yes", "Replica_SQL_Running": "Yes",
            "Retrieved_Gtid_Set": "not-a-uuid:1-5", "Executed_Gtid_Set": "",
        ])
        #expect {
            try ReplicationStatusParser.parse([badSet], flavor: .mysql)
        } throws: { error in
            (error as? ObservationParseError)?.field == "Retrieved_Gtid_Set of SHOW REPLICA STATUS"
        }
        let noThreads = Row(["Master_Host": "h", "Master_Port": "3306"])
        #expect {
            try ReplicationStatusParser.parse([noThreads], flavor: .mariadb)
        } throws: { error in
            (error as? ObservationParseError)?.description
                == "Could not read Replica_IO_Running of SHOW SLAVE STATUS: the column is missing or NULL."
        }
        let badPort = Row(["Master_Host": "h", "Master_Port": "99999", "Slave_IO_Running": "No", "Slave_SQL_Running": "No"])
        #expect(throws: ObservationParseError.self) {
            try ReplicationStatusParser.parse([badPort], flavor: .mariadb)
        }
    }
}
