import Testing

@testable import DM

@Suite("start-task reply parsing")
struct StartTaskParserTests {
    typealias O = OperationFixtures

    @Test("A passed precheck is valid JSON with its check result")
    func passed() throws {
        let reply = try DMStartTaskParser.parse(O.startTaskOK)
        #expect(reply.succeeded)
        #expect(reply.checkResult == "pre-check is passed. ")
        #expect(reply.members.map(\.source) == ["mysql-replica-01"])
    }

    @Test("A precheck failure spliced in raw is repaired into result false with the whole check text")
    func splicedPrecheckFailure() throws {
        #expect(JSONValue.decode(Substring(O.startTaskPrecheckFailed)) == nil, "the fixture must be invalid JSON")
        let reply = try DMStartTaskParser.parse(O.startTaskPrecheckFailed)
        #expect(!reply.result)
        #expect(!reply.succeeded)
        let check = try #require(reply.checkResult)
        #expect(check.hasPrefix("fail to check synchronization configuration with type"))
        #expect(check.contains(#"binlog_row_image is \"MINIMAL\", not FULL"#))
        #expect(check.hasSuffix("}"))
        #expect(reply.members.isEmpty)
    }

    @Test("Output broken beyond repair still yields result and msg")
    func bestEffort() throws {
        let reply = try DMStartTaskParser.parse(O.startTaskPrecheckFailedUnrepairable)
        #expect(!reply.result)
        #expect(reply.message == #"precheck "failed""#)
        #expect(reply.checkResult?.hasPrefix("fail to check synchronization configuration") == true)
    }

    @Test("An existing task is refused with 46014 in msg")
    func alreadyExists() throws {
        let reply = try DMStartTaskParser.parse(O.startTaskAlreadyExists)
        #expect(!reply.result)
        #expect(reply.checkResult == nil)
        #expect(DMErrorCodes.find(in: reply.message ?? "") == [46014])
    }

    @Test("Text with neither JSON nor a result is an error naming the start-task reply", arguments: [
        "Error: can not create grpc connection\n",
        "{\n    \"msg\": \"no result here\n",
    ])
    func garbage(output: String) {
        #expect(throws: DMOutputError.self) { try DMStartTaskParser.parse(output) }
        do {
            _ = try DMStartTaskParser.parse(output)
        } catch {
            #expect(error.description.hasPrefix("dmctl printed output that is not a start-task reply"))
        }
    }
}
