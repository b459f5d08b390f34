import GTID
import Testing
import Upstream

@Suite("MariaDB gtid-P from the Gtid_list event of the oldest binary log")
struct BinlogGtidListTests {
    @Test("Gtid_list Info text parses to a MariaDB position", arguments: [
        ("[0-1-100,1-2-5]", "0-1-100,1-2-5"),
        ("[0-1-3]", "0-1-3"),
        ("[]", ""),
    ])
    func info(text: String, expected: String) throws {
        #expect(try BinlogGtidList.parseInfo(text) == GTIDValue(expected, flavor: .mariadb))
    }

    @Test("The Gtid_list event is found among the first events as SHOW BINLOG EVENTS prints them")
    func events() throws {
        let columns = ["Log_name", "Pos", "Event_type", "Server_id", "End_log_pos", "Info"]
        let rows = [
            Row(columns: columns, values: ["binlog.000002", "4", "Format_desc", "1", "256",
                                           "Server ver: 10.11.6-MariaDB-0+deb12u1-log, Binlog ver: 4"]),
            Row(columns: columns, values: ["binlog.000002", "256", "Gtid_list", "1", "299", "[0-1-3]"]),
            Row(columns: columns, values: ["binlog.000002", "299", "Binlog_checkpoint", "1", "339", "binlog.000001"]),
        ]
        #expect(try BinlogGtidList.purged(fromEvents: rows, logName: "binlog.000002") == GTIDValue("0-1-3", flavor: .mariadb))
        #expect(throws: ObservationParseError.self) {
            try BinlogGtidList.purged(fromEvents: [rows[0], rows[2]], logName: "binlog.000002")
        }
    }

    @Test("Malformed Info text is a parse error")
    func malformed() {
        #expect(throws: ObservationParseError.self) { try BinlogGtidList.parseInfo("0-1-3") }
        #expect(throws: ObservationParseError.self) { try BinlogGtidList.parseInfo("[0-1]") }
    }

    @Test("Log names are quoted into the events statement")
    func quoting() {
        #expect(BinlogGtidList.eventsStatement(logName: "bin'log.000001") == "SHOW BINLOG EVENTS IN 'bin\\'log.000001' LIMIT 3")
    }
}

@Suite("SQL text quoting")
struct SQLTextTests {
    @Test("Literals escape what would end or corrupt them", arguments: [
        ("plain", "'plain'"), ("it's", "'it\\'s'"), ("back\\slash", "'back\\\\slash'"), ("two\nlines", "'two\\nlines'"),
    ])
    func literals(text: String, expected: String) {
        #expect(SQLText.literal(text) == expected)
    }

    @Test("Only plain identifiers pass", arguments: [
        ("writes", true), ("orders_2024", true), ("2024", false), ("x; DROP TABLE y", false), ("", false), ("ä", false),
    ])
    func identifiers(name: String, expected: Bool) {
        #expect(SQLText.isPlainIdentifier(name) == expected)
    }
}
