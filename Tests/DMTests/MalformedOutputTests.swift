import Testing

@testable import DM

@Suite("Malformed dmctl output")
struct MalformedOutputTests {
    static let queryStatusCases: [Refusal] = [
        Refusal("empty output", "", "printed nothing"),
        Refusal("only whitespace", "\n  \n", "contains no JSON object"),
        Refusal("HTML from a proxy", "<html><body><h1>502 Bad Gateway</h1></body></html>\n", "contains no JSON object"),
        Refusal("usage text only",
            "Usage:\n  dmctl query-status [-s source ...] [task-name | task-file] [--more] [flags]\n", "contains no JSON object"),
        Refusal("truncated JSON", String(QueryStatusFixtures.v2WithRelay.prefix(700)), "malformed or truncated"),
        Refusal("a JSON array", "{}\n[1, 2]", "malformed or truncated"),
        Refusal("result as a string", #"{"result": "true", "msg": "", "sources": []}"#, "`result` is a string, not a boolean"),
        Refusal("sources as an object", #"{"result": true, "msg": "", "sources": {}}"#, "`sources` is an object, not an array"),
        Refusal("no sources on success", #"{"result": true, "msg": ""}"#, "`sources` is missing"),
        Refusal("sourceStatus missing on success",
            #"{"result": true, "msg": "", "sources": [{"result": true, "msg": "", "subTaskStatus": []}]}"#, "`sources[0].sourceStatus` is missing"),
        Refusal("stage as a number",
            QueryStatusFixtures.v2InvalidStage.replacingOccurrences(of: #""stage": "InvalidStage""#, with: #""stage": 0"#), "`sources[0].subTaskStatus[0].stage` is a number, not a string"),
        Refusal("seconds behind as words",
            QueryStatusFixtures.v2WithRelay.replacingOccurrences(of: #""secondsBehindMaster": "2""#, with: #""secondsBehindMaster": "two""#), "`sources[0].subTaskStatus[0].sync.secondsBehindMaster` is the string \"two\", not an integer"),
        Refusal("a GTID that is not one",
            QueryStatusFixtures.v2WithRelay.replacingOccurrences(of: "1-9428", with: "1-x"), "`sources[0].subTaskStatus[0].sync.syncerBinlogGtid` is not a MySQL GTID value"),
        Refusal("a relay sub-directory without suffix",
            QueryStatusFixtures.v2WithRelay.replacingOccurrences(
                of: "0242ac120003.000002", with: "0242ac120003"), "`sources[0].sourceStatus.relayStatus.relaySubDir` is"),
        Refusal("an error list that is a string",
            QueryStatusFixtures.v2InvalidStage.replacingOccurrences(
                of: #""result": null,"# + "\n                    \"unresolvedDDLLockID\"",
                with: #""result": {"isCanceled": false, "errors": "boom", "detail": null},"# + "\n                    \"unresolvedDDLLockID\""), "`sources[0].subTaskStatus[0].result.errors` is a string, not an array"),
    ]

    @Test("query-status output that is not a reply gives a clear error, never a crash", arguments: queryStatusCases)
    func queryStatus(_ example: Refusal) {
        do {
            let report = try DMQueryStatusParser.parse(example.input)
            Issue.record("parsed into \(report)")
        } catch {
            #expect(error.description.contains(example.message), "\(error.description)")
            #expect(error.description.contains("query-status reply"))
            #expect(error.excerpt.utf8.count <= 200 + 200, "the excerpt stays short even with escapes")
            #expect(!error.excerpt.contains("\n"))
        }
    }

    static let operationCases: [Refusal] = [
        Refusal("empty output", "", "printed nothing"),
        Refusal("no result", #"{"op": "Pause", "msg": "", "sources": []}"#, "`result` is missing"),
        Refusal("member result as a number", #"{"op": "Pause", "result": true, "sources": [{"result": 1}]}"#, "`sources[0].result` is a number, not a boolean"),
        Refusal("member that is a string", #"{"op": "Pause", "result": true, "sources": ["worker1"]}"#, "`sources[0]` is a string, not an object"),
        Refusal("top level null", "{\n}\nnull", "`result` is missing"),
    ]

    @Test("Operation output that is not a reply gives a clear error", arguments: operationCases)
    func operation(_ example: Refusal) {
        do {
            let reply = try DMOperationParser.parse(example.input, expected: "pause-task reply")
            Issue.record("parsed into \(reply)")
        } catch {
            #expect(error.description.contains(example.message), "\(error.description)")
        }
    }

    @Test("The excerpt is the first 200 bytes on one line, cut at a character boundary")
    func excerpt() {
        let output = String(repeating: "é", count: 150) + "\n{"
        let error = DMOutputError(expected: "query-status reply", problem: "x", output: output)
        #expect(error.excerpt == String(repeating: "é", count: 100))
        let control = DMOutputError(expected: "r", problem: "x", output: "a\u{1}b\t\"c\"")
        #expect(control.excerpt == #"a\u0001b\t\"c\""#)
        #expect(control.description == #"dmctl printed output that is not a r (x): "a\u0001b\t\"c\"""#)
    }

    @Test("JSON noise before the reply is skipped and trailing noise after it is cut off")
    func noise() throws {
        let output = "Starting component `dmctl`: /home/tidb/.tiup/components/dmctl/v6.5.0/dmctl/dmctl\n"
            + OperationFixtures.pauseOK + "\n[warn] something after\n"
        let reply = try DMOperationParser.parse(output, expected: "pause-task reply")
        #expect(reply.succeeded)
    }
}
