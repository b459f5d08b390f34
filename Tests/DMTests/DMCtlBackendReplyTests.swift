import Testing

@testable import DM

/// The backend's verdict on each reply shape, end to end: the stand-in dmctl prints a
/// fixture and exits 0, and the backend must return or throw exactly as the runbook needs.
@Suite("dmctl backend verdicts on replies", .serialized)
struct DMCtlBackendReplyTests {
    typealias O = OperationFixtures
    typealias Q = QueryStatusFixtures

    /// A call, the reply dmctl prints, and the expected outcome: `nil` for success, else the
    /// start of the error sentence and the DM codes it must carry.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let version: String
        let reply: String
        let call: @Sendable (DMCtlBackend) throws -> Void
        let error: String?
        let codes: [Int]
        var testDescription: String { name }

        init(
            _ name: String, version: String = "v6.5.0", reply: String, error: String? = nil, codes: [Int] = [],
            call: @escaping @Sendable (DMCtlBackend) throws -> Void
        ) {
            self.name = name
            self.version = version
            self.reply = reply
            self.call = call
            self.error = error
            self.codes = codes
        }
    }

    static let cases: [Case] = [
        Case("pause ok", reply: O.pauseOK) { try _ = $0.pauseTask("orders", source: nil) },
        Case("stop echoing Delete", reply: O.stopOpDelete) { try _ = $0.stopTask("orders", source: nil) },
        Case("stop echoing Stop", version: "v5.4.0", reply: O.stopOpStop) { try _ = $0.stopTask("orders", source: nil) },
        Case(
            "a reply echoing another op", reply: O.pauseOK,
            error: #"Could not resume DM task "orders": dmctl printed output that is not a resume-task reply (`op` is "Pause" where "Resume" was expected)"#
        ) { try _ = $0.resumeTask("orders", source: nil) },
        Case(
            "pause of an unknown task", reply: O.pauseTaskNotExist,
            error: #"Could not pause DM task "orders": DM-master answered "task orders has no source or not exist, please check the task name and status"."#
        ) { try _ = $0.pauseTask("orders", source: nil) },
        Case(
            "resume refused by one source", reply: O.resumeSourceFailed,
            error: #"Could not resume DM task "orders": source "mysql-replica-01" on worker "worker1" answered "[code=38032"#,
            codes: [38032, 36069]
        ) { try _ = $0.resumeTask("orders", source: nil) },
        Case("batch pause ok", reply: O.batchPauseOK) { try _ = $0.pauseTasks(onSource: "mysql-replica-01") },
        Case(
            "batch resume with an omitted result", reply: O.batchResumeOmittedResult,
            error: #"Could not resume the DM tasks of source "mysql-replica-01": source "mysql-replica-01" on worker "worker1" answered "task "orders": [code=38045"#,
            codes: [38045]
        ) { try _ = $0.resumeTasks(onSource: "mysql-replica-01") },
        Case("start-task ok", reply: O.startTaskOK) { try _ = $0.startTask(file: "/etc/dmswitch/orders.yaml", source: nil) },
        Case(
            "start-task precheck failure", reply: O.startTaskPrecheckFailed,
            error: #"Could not start the DM task in "/etc/dmswitch/orders.yaml": DM-master answered "fail to check synchronization configuration with type: no errors but some warnings"#
        ) { try _ = $0.startTask(file: "/etc/dmswitch/orders.yaml", source: nil) },
        Case(
            "start-task of an existing task", reply: O.startTaskAlreadyExists,
            error: #"Could not start the DM task in "/etc/dmswitch/orders.yaml": DM-master answered "[code=46014"#, codes: [46014]
        ) { try _ = $0.startTask(file: "/etc/dmswitch/orders.yaml", source: nil) },
        Case("create source after a deprecation line", reply: O.createSourceOKWithNoise) { try _ = $0.createSource(file: "/etc/dmswitch/s.yaml") },
        Case(
            "create of an existing source", reply: O.createSourceExists,
            error: #"Could not create the DM source in "/etc/dmswitch/s.yaml": DM-master answered "[code=46007"#, codes: [46007]
        ) { try _ = $0.createSource(file: "/etc/dmswitch/s.yaml") },
        Case(
            "stop of a source with tasks", reply: O.stopSourceHasTasks,
            error: #"Could not stop DM source "mysql-replica-01": DM-master answered "[code=46010"#, codes: [46010]
        ) { try _ = $0.stopSource("mysql-replica-01") },
        Case(
            "stop of a source with relay workers", reply: O.stopSourceHasRelayWorkers,
            error: #"Could not stop DM source "mysql-replica-01": DM-master answered "[code=46023"#, codes: [46023]
        ) { try _ = $0.stopSource("mysql-replica-01") },
        Case("show with a source waiting for a worker", reply: O.showSources) { try _ = $0.showSources([]) },
        Case("list-member", reply: O.listMember) { try _ = $0.listMembers() },
        Case(
            "pause-relay without relay", reply: O.pauseRelayDisabled,
            error: #"Could not pause the relay of DM source "mysql-replica-01": source "mysql-replica-01" on worker "worker1" answered "[code=38032"#,
            codes: [38032]
        ) { try _ = $0.pauseRelay(source: "mysql-replica-01") },
        Case("v1 pause-relay", version: "v1.0.7", reply: O.v1PauseRelay) { try _ = $0.pauseRelay(source: "mysql-replica-01") },
        Case("v1 resume-relay", version: "v1.0.7", reply: O.v1ResumeRelay) { try _ = $0.resumeRelay(source: "mysql-replica-01") },
        Case("v1 pause-task", version: "v1.0.7", reply: O.v1PauseTask) { try _ = $0.pauseTask("orders", source: "mysql-replica-01") },
        Case("v1 switch-relay-master", version: "v1.0.7", reply: O.v1SwitchRelayMaster) {
            try _ = $0.switchRelayMaster(source: "mysql-replica-01")
        },
        Case(
            "v1 switch-relay-master refused", version: "v1.0.7", reply: O.v1SwitchRelayMasterRefused,
            error: #"Could not switch the relay of DM source "mysql-replica-01" to the new upstream: worker "10.0.0.2:8262" answered "[code=40040"#,
            codes: [40040]
        ) { try _ = $0.switchRelayMaster(source: "mysql-replica-01") },
        Case("query-status with a missing worker", reply: Q.v2NoRelayWorkerMissing) { try _ = $0.queryStatus(source: "maria-02") },
        Case(
            "query-status of an unknown task", reply: Q.v2TaskNotExist,
            error: #"Could not query the status of DM task "orders": DM-master answered "task orders has no source or not exist"."#
        ) { try _ = $0.queryStatus(task: "orders") },
        Case("query-status v1", version: "v1.0.7", reply: Q.v1Workers) { try _ = $0.queryStatus(task: "orders") },
        Case("task list", reply: Q.v2Summary) { try _ = $0.listTasks() },
        Case(
            "v1 usage text with exit 0", version: "v1.0.7",
            reply: "Usage:\n  dmctl [command]\n\nAvailable Commands:\n  query-status\n",
            error: #"Could not pause the relay of DM source "mysql-replica-01": dmctl printed output that is not a pause-relay reply (it contains no JSON object)"#
        ) { try _ = $0.pauseRelay(source: "mysql-replica-01") },
    ]

    @Test("A pause-relay refused because the relay is already Paused is told apart from other refusals", arguments: [
        (OperationFixtures.v1PauseRelayAlreadyPaused, true),
        (OperationFixtures.v1SwitchRelayMasterRefused, false),
    ])
    func relayAlreadyPaused(reply: String, expected: Bool) throws {
        let sandbox = try DMCtlBackendSpawnTests.Sandbox()
        defer { sandbox.remove() }
        let backend = try sandbox.backend(mode: "replay", version: "v1.0.7", replay: reply)
        let error = try #require(throws: DMError.self) { try backend.pauseRelay(source: "mysql-replica-01") }
        #expect(error.saysRelayAlreadyPaused == expected, "\(error)")
    }

    @Test("The backend returns on full success and otherwise throws one sentence with DM's codes", arguments: cases)
    func verdict(_ example: Case) throws {
        let sandbox = try DMCtlBackendSpawnTests.Sandbox()
        defer { sandbox.remove() }
        let backend = try sandbox.backend(mode: "replay", version: example.version, replay: example.reply)
        do {
            try example.call(backend)
            #expect(example.error == nil, "expected an error starting with \(example.error ?? "")")
        } catch let error as DMError {
            guard let expected = example.error else {
                Issue.record("unexpected error: \(error)")
                return
            }
            #expect(error.description.hasPrefix(expected), "\(error.description)")
            #expect(error.description.hasSuffix("."))
            #expect(error.codes == example.codes)
        } catch {
            Issue.record("an error that is not a DMError: \(error)")
        }
    }
}
