import Testing

@testable import DM

@Suite("Operation reply parsing")
struct OperationParserTests {
    typealias O = OperationFixtures

    /// One reply and what the parser must make of it.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let output: String
        let operation: String?
        let result: Bool
        let succeeded: Bool
        let members: [DMMemberOutcome]
        let codes: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "pause ok", output: O.pauseOK, operation: "Pause", result: true, succeeded: true,
            members: [DMMemberOutcome(source: "mysql-replica-01", worker: "worker1", result: true)], codes: []),
        Case(
            name: "pause of an unknown task", output: O.pauseTaskNotExist, operation: "Pause", result: false,
            succeeded: false, members: [], codes: []),
        Case(
            name: "stop up to v5.4", output: O.stopOpStop, operation: "Stop", result: true, succeeded: true,
            members: [DMMemberOutcome(source: "mysql-replica-01", worker: "worker1", result: true)], codes: []),
        Case(
            name: "stop from v6.0", output: O.stopOpDelete, operation: "Delete", result: true, succeeded: true,
            members: [DMMemberOutcome(source: "mysql-replica-01", worker: "worker1", result: true)], codes: []),
        Case(
            name: "operate-source create after a deprecation line", output: O.createSourceOKWithNoise, operation: nil,
            result: true, succeeded: true,
            members: [DMMemberOutcome(source: "mysql-replica-01", worker: "worker1", result: true)], codes: []),
        Case(
            name: "operate-source create of an existing source", output: O.createSourceExists, operation: nil,
            result: false, succeeded: false, members: [], codes: [46007]),
        Case(
            name: "operate-source stop with tasks", output: O.stopSourceHasTasks, operation: nil, result: false,
            succeeded: false, members: [], codes: [46010]),
        Case(
            name: "operate-source stop with relay workers", output: O.stopSourceHasRelayWorkers, operation: nil,
            result: false, succeeded: false, members: [], codes: [46023]),
        Case(
            name: "operate-source stop ok", output: O.stopSourceOK, operation: nil, result: true, succeeded: true,
            members: [DMMemberOutcome(source: "mysql-replica-01", worker: "worker1", result: true)], codes: []),
        Case(
            name: "pause-relay on a source without relay", output: O.pauseRelayDisabled, operation: "PauseRelay",
            result: true, succeeded: false,
            members: [
                DMMemberOutcome(
                    source: "mysql-replica-01", worker: "worker1", result: false,
                    message: "[code=38032:class=dm-master:scope=internal:level=high], Message: some error occurs in dm-worker: relay is disabled for this source")
            ], codes: [38032]),
        Case(
            name: "v1 pause-task with meta members", output: O.v1PauseTask, operation: "Pause", result: true,
            succeeded: true, members: [DMMemberOutcome(worker: "10.0.0.2:8262", result: true)], codes: []),
        Case(
            name: "v1 pause-relay", output: O.v1PauseRelay, operation: "PauseRelay", result: true, succeeded: true,
            members: [DMMemberOutcome(worker: "10.0.0.2:8262", result: true)], codes: []),
        Case(
            name: "v1 resume-relay", output: O.v1ResumeRelay, operation: "ResumeRelay", result: true, succeeded: true,
            members: [DMMemberOutcome(worker: "10.0.0.2:8262", result: true)], codes: []),
        Case(
            name: "v1 switch-relay-master", output: O.v1SwitchRelayMaster, operation: nil, result: true,
            succeeded: true, members: [DMMemberOutcome(worker: "10.0.0.2:8262", result: true)], codes: []),
        Case(
            name: "v1 switch-relay-master refused", output: O.v1SwitchRelayMasterRefused, operation: nil, result: false,
            succeeded: false,
            members: [
                DMMemberOutcome(
                    worker: "10.0.0.2:8262", result: false,
                    message: "[code=40040:class=dm-worker:scope=internal:level=high], Message: current stage is Running, Paused required")
            ], codes: [40040]),
    ]

    @Test("Operation replies are read with their top-level and per-member results", arguments: cases)
    func operationReply(_ example: Case) throws {
        let reply = try DMOperationParser.parse(example.output, expected: "test reply")
        #expect(reply.operation == example.operation)
        #expect(reply.result == example.result)
        #expect(reply.succeeded == example.succeeded)
        #expect(reply.members == example.members)
        let text = ([reply.message] + reply.members.map(\.message)).compactMap { $0 }.joined(separator: "\n")
        #expect(DMErrorCodes.find(in: text) == example.codes)
    }

    @Test("A member's result false is seen even when the top level says true")
    func memberFailure() throws {
        let reply = try DMOperationParser.parse(O.resumeSourceFailed, expected: "resume-task reply")
        #expect(reply.result)
        #expect(!reply.succeeded)
        #expect(reply.failedMembers.map(\.source) == ["mysql-replica-01"])
        #expect(DMErrorCodes.find(in: reply.failedMembers[0].message ?? "") == [38032, 36069])
    }

    @Test("A batch reply reads every task, and a member whose result was omitted counts as failed")
    func batch() throws {
        let ok = try DMOperationParser.parseBatch(O.batchPauseOK, expected: "pause-task reply")
        #expect(ok.succeeded)
        #expect(ok.tasks.map(\.task) == ["billing", "orders"])
        #expect(ok.tasks.allSatisfy { $0.reply.operation == "Pause" })

        let omitted = try DMOperationParser.parseBatch(O.batchResumeOmittedResult, expected: "resume-task reply")
        #expect(omitted.result)
        #expect(!omitted.succeeded)
        let member = try #require(omitted.tasks.first?.reply.members.first)
        #expect(!member.result)
        #expect(member.source == "mysql-replica-01")
        #expect(DMErrorCodes.find(in: member.message ?? "") == [38045])
    }

    @Test("operate-source show keeps a source waiting for a worker as a successful member with a message")
    func show() throws {
        let reply = try DMOperationParser.parse(O.showSources, expected: "operate-source reply")
        #expect(reply.succeeded)
        #expect(reply.members.count == 2)
        #expect(reply.members[1].worker == nil)
        #expect(reply.members[1].message == "source is added but there is no free worker to bound")
    }

    @Test("list-member gives the leader, the masters with their uint64 ids as text, and the workers")
    func listMember() throws {
        let list = try DMMemberListParser.parse(O.listMember)
        #expect(list.result)
        #expect(list.leader == DMMemberList.Leader(name: "master1", address: "10.0.0.1:8261"))
        #expect(list.masters.count == 1)
        #expect(list.masters[0].alive)
        #expect(list.masters[0].memberID == "11007177379717700053", "a uint64 beyond Int64.max is kept as text")
        #expect(list.masters[0].clientURLs == ["http://10.0.0.1:8261"])
        #expect(list.workers.map(\.name) == ["worker1", "worker2"])
        #expect(list.workers[0].stage == "bound" && list.workers[0].source == "mysql-replica-01")
        #expect(list.workers[1].stage == "free" && list.workers[1].source == "")
    }
}
