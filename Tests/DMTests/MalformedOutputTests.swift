import Testing

@testable import DM

@Suite("Malformed dmctl output")
struct MalformedOutputTests {
    /// Output and the words the error must contain.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let output: String
        let problem: String
        var testDescription: String { name }
    }

    static let queryStatusCases: [Case] = [
        Case(name: "empty output", output: "", problem: "printed nothing"),
        Case(name: "only whitespace", output: "\n  \n", problem: "contains no JSON object"),
        Case(
            name: "HTML from a proxy", output: "<html><body><h1>502 Bad Gateway</h1></body></html>\n",
            problem: "contains no JSON object"),
        Case(
            name: "usage text only",
            output: "Usage:\n  dmctl query-status [-s source ...] [task-name | task-file] [--more] [flags]\n",
            problem: "contains no JSON object"),
        Case(
            name: "truncated JSON", output: String(QueryStatusFixtures.v2WithRelay.prefix(700)),
            problem: "malformed or truncated"),
        Case(name: "a JSON array", output: "{}\n[1, 2]", problem: "malformed or truncated"),
        Case(
            name: "result as a string", output: #"{"result": "true", "msg": "", "sources": []}"#,
            problem: "`result` is a string, not a boolean"),
        Case(
            name: "sources as an object", output: #"{"result": true, "msg": "", "sources": {}}"#,
            problem: "`sources` is an object, not an array"),
        Case(name: "no sources on success", output: #"{"result": true, "msg": ""}"#, problem: "`sources` is missing"),
        Case(
            name: "sourceStatus missing on success",
            output: #"{"result": true, "msg": "", "sources": [{"result": true, "msg": "", "subTaskStatus": []}]}"#,
            problem: "`sources[0].sourceStatus` is missing"),
        Case(
            name: "stage as a number",
            output: QueryStatusFixtures.v2InvalidStage.replacingOccurrences(of: #""stage": "InvalidStage""#, with: #""stage": 0"#),
            problem: "`sources[0].subTaskStatus[0].stage` is a number, not a string"),
        Case(
            name: "seconds behind as words",
            output: QueryStatusFixtures.v2WithRelay.replacingOccurrences(of: #""secondsBehindMaster": "2""#, with: #""secondsBehindMaster": "two""#),
            problem: "`sources[0].subTaskStatus[0].sync.secondsBehindMaster` is the string \"two\", not an integer"),
        Case(
            name: "a GTID that is not one",
            output: QueryStatusFixtures.v2WithRelay.replacingOccurrences(of: "1-9428", with: "1-x"),
            problem: "`sources[0].subTaskStatus[0].sync.syncerBinlogGtid` is not a MySQL GTID value"),
        Case(
            name: "a relay sub-directory without suffix",
            output: QueryStatusFixtures.v2WithRelay.replacingOccurrences(
                of: "0242ac120003.000002", with: "0242ac120003"),
            problem: "`sources[0].sourceStatus.relayStatus.relaySubDir` is"),
        Case(
            name: "an error list that is a string",
            output: QueryStatusFixtures.v2InvalidStage.replacingOccurrences(
                of: #""result": null,"# + "\n                    \"unresolvedDDLLockID\"",
                with: #""result": {"isCanceled": false, "errors": "boom", "detail": null},"# + "\n                    \"unresolvedDDLLockID\""),
            problem: "`sources[0].subTaskStatus[0].result.errors` is a string, not an array"),
    ]

    @Test("query-status output that is not a reply gives a clear error, never a crash", arguments: queryStatusCases)
    func queryStatus(_ example: Case) {
        do {
            let report = try DMQueryStatusParser.parse(example.output)
            Issue.record("parsed into \(report)")
        } catch {
            #expect(error.description.contains(example.problem), "\(error.description)")
            #expect(error.description.contains("query-status reply"))
            #expect(error.excerpt.utf8.count <= 200 + 200, "the excerpt stays short even with escapes")
            #expect(!error.excerpt.contains("\n"))
        }
    }

    static let operationCases: [Case] = [
        Case(name: "empty output", output: "", problem: "printed nothing"),
        Case(name: "no result", output: #"{"op": "Pause", "msg": "", "sources": []}"#, problem: "`result` is missing"),
        Case(
            name: "member result as a number", output: #"{"op": "Pause", "result": true, "sources": [{"result": 1}]}"#,
            problem: "`sources[0].result` is a number, not a boolean"),
        Case(
            name: "member that is a string", output: #"{"op": "Pause", "result": true, "sources": ["worker1"]}"#,
            problem: "`sources[0]` is a string, not an object"),
        Case(name: "top level null", output: "{\n}\nnull", problem: "`result` is missing"),
    ]

    @Test("Operation output that is not a reply gives a clear error", arguments: operationCases)
    func operation(_ example: Case) {
        do {
            let reply = try DMOperationParser.parse(example.output, expected: "pause-task reply")
            Issue.record("parsed into \(reply)")
        } catch {
            #expect(error.description.contains(example.problem), "\(error.description)")
        }
    }

    @Test("The excerpt is the first 200 bytes on one line, cut at a character boundary")
    func excerpt() {
        let output = String(repeating: "é", count: 150) + "\n{"
        let error = DMOutputError(expected: "query-status reply", problem: "x", output: output)
        #expect(error.excerpt == String(repeating: "é", count: 100))
        let control = DMOutputError(expected: "r", problem: "x", output: "a\u{1}b\t\"c\"")
        #expect(control.excerpt == #"a?b\t\"c\""#)
        #expect(control.description == #"dmctl printed output that is not a r (x): "a?b\t\"c\"""#)
    }

    @Test("JSON noise before the reply is skipped and trailing noise after it is cut off")
    func noise() throws {
        let output = "Starting component `dmctl`: /home/tidb/.tiup/components/dmctl/v6.5.0/dmctl/dmctl\n"
            + OperationFixtures.pauseOK + "\n[warn] something after\n"
        let reply = try DMOperationParser.parse(output, expected: "pause-task reply")
        #expect(reply.succeeded)
    }
}
