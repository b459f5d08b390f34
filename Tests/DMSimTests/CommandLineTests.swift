import DM
import Foundation
import Testing
@testable import dmsim

/// dmctl's command-line rules as dmsim parses them (pflag semantics, v1 and v2+).
@Suite("dmctl command lines")
struct CommandLineTests {
    @Test("Global flags and -s may stand anywhere; slices take repeats and comma lists")
    func v2Flags() throws {
        let parsed = try InvocationParser(version: DMVersion(6, 5, 0))
            .parse(["-master-addr", "a:1,b:2", "query-status", "-s", "x", "t1", "--source=y,z", "--more", "--rpc-timeout=30s"])
        #expect(parsed.masterAddr == "a:1,b:2")
        #expect(parsed.rpcTimeout == "30s")
        #expect(parsed.command == "query-status")
        #expect(parsed.positional == ["t1"])
        #expect(parsed.sources == ["x", "y", "z"])
        #expect(parsed.switches == ["more"])
    }

    @Test("v1 takes -w worker addresses")
    func v1Flags() throws {
        let parsed = try InvocationParser(version: DMVersion(1, 0, 7))
            .parse(["-master-addr", "m:8261", "pause-relay", "-w", "10.0.0.2:8262"])
        #expect(parsed.command == "pause-relay")
        #expect(parsed.workers == ["10.0.0.2:8262"])
    }

    @Test("Unknown flags are refused with pflag's message", arguments: [
        (["query-status", "--bogus"], "unknown flag: --bogus"),
        (["query-status", "-x"], "unknown shorthand flag: 'x' in -x"),
        (["--master-addr"], "flag needs an argument: --master-addr"),
    ])
    func refused(arguments: [String], message: String) {
        #expect(throws: UsageError(message: message)) {
            try InvocationParser(version: DMVersion(6, 5, 0)).parse(arguments)
        }
    }

    @Test("-s is not a v1 flag")
    func noSourceInV1() {
        #expect(throws: UsageError(message: "unknown shorthand flag: 's' in -s")) {
            try InvocationParser(version: DMVersion(1, 0, 7)).parse(["query-status", "-s", "a"])
        }
    }
}

/// Reply encodings: jsonpb layout, Go escaping, per-version field sets.
@Suite("dmctl reply shapes")
struct ReplyShapeTests {
    private func view(stage: String = "Running") -> SubtaskView {
        SubtaskView(name: "t1", stage: stage, result: nil, masterBinlog: "(bin.000002, 345)", masterGTID: "1-1-9",
                    syncerBinlog: "(bin.000002, 345)", syncerGTID: "1-1-9", synced: true, secondsBehind: "0",
                    totalEvents: 9, binlogType: "remote")
    }

    @Test("SubTaskStatus of v8.5 has every field in proto order, int64 as strings")
    func subtaskV8() {
        let text = Replies.subtask(view(), version: DMVersion(8, 5, 0)).rendered
        #expect(text == """
            {
                "name": "t1",
                "stage": "Running",
                "unit": "Sync",
                "result": null,
                "unresolvedDDLLockID": "",
                "sync": {
                    "totalEvents": "9",
                    "totalTps": "0",
                    "recentTps": "0",
                    "masterBinlog": "(bin.000002, 345)",
                    "masterBinlogGtid": "1-1-9",
                    "syncerBinlog": "(bin.000002, 345)",
                    "syncerBinlogGtid": "1-1-9",
                    "blockingDDLs": [],
                    "unresolvedGroups": [],
                    "synced": true,
                    "binlogType": "remote",
                    "secondsBehindMaster": "0",
                    "blockDDLOwner": "",
                    "conflictMsg": "",
                    "totalRows": "9",
                    "totalRps": "0",
                    "recentRps": "0"
                },
                "validation": null
            }
            """)
    }

    @Test("SyncStatus grows with the release", arguments: [
        ("v1.0.7", 10), ("v2.0.0", 11), ("v2.0.7", 12), ("v6.1.0", 14), ("v6.5.0", 17),
    ])
    func syncFieldCount(version: String, fields: Int) throws {
        let dmVersion = try #require(DMVersion(version))
        guard case .object(let members) = Replies.sync(view(), version: dmVersion) else {
            Issue.record("SyncStatus is not an object")
            return
        }
        #expect(members.count == fields)
    }

    @Test("A v2+ ProcessError names class, scope and level; v1 nests numbers")
    func processError() throws {
        let error = ProcessError.getEvent("ERROR 1236 (HY000): gone")
        let v2 = Replies.processError(error, version: DMVersion(6, 5, 0)).rendered
        #expect(v2.contains("\"ErrCode\": 36069,\n    \"ErrClass\": \"sync-unit\",\n    \"ErrScope\": \"upstream\""))
        let v1 = Replies.processError(error, version: DMVersion(1, 0, 7)).rendered
        #expect(v1.contains("\"ErrClass\": 11"))
        #expect(v1.hasPrefix("{\n    \"Type\": \"UnknownError\""))
    }

    @Test("Strings are escaped like Go's encoding/json")
    func escaping() {
        #expect(ReplyJSON.string("a<b>&\"c\"\n\u{1}`x`").rendered == "\"a\\u003cb\\u003e\\u0026\\\"c\\\"\\n\\u0001`x`\"")
    }

    @Test("The terror text has DM's layout")
    func terror() {
        #expect(Terror.taskNotExist("t1").description
                == "[code=46018:class=scheduler:scope=internal:level=medium], Message: task with name t1 not exist, Workaround: Please use `query-status` command to see tasks.")
    }

    @Test("MariaDB's wrapper around error 1236 is removed, as DM shows the master's message")
    func streamError() {
        let error = StageMapping.streamError(errno: 1236, text: "Got fatal error 1236 from master when reading data from binary log: 'Could not find GTID state requested by slave in any binlog files.'")
        #expect(error.message == "get binlog event error: ERROR 1236 (HY000): Could not find GTID state requested by slave in any binlog files.")
    }
}
