import Testing
@testable import Failover

@Suite("Runbooks: the four documented procedures as step lists")
struct RunbookTests {
    static let plan = RunbookPlan(
        from: .db1, to: .db2, toIdentity: "uuid-2",
        tasks: [TaskSpec(name: "orders", file: "tasks/orders.yaml"), TaskSpec(name: "billing", file: "tasks/billing.yaml")])

    @Test("Each runbook lists its steps in DM's documented order", arguments: [
        (RunbookKind.v2VIP, ["query-status", "check", "pause-task", "pause-task", "recheck", "move-vip", "verify-identity-through-vip", "resume-task", "resume-task", "verify-running"], "move-vip"),
        (.v2Address, ["query-status", "check", "pause-task", "pause-task", "recheck", "stop-task", "stop-task", "operate-source-stop", "rewrite-source-file", "operate-source-create", "start-task", "start-task", "verify-running"], "operate-source-stop"),
        (.v1VIP, ["query-status", "check", "pause-relay", "pause-task", "pause-task", "recheck", "move-vip", "verify-identity-through-vip", "switch-relay-master", "resume-relay", "resume-task", "resume-task", "verify-running"], "move-vip"),
        (.v1Address, ["query-status", "check", "pause-task", "pause-task", "recheck", "stop-task", "stop-task", "rewrite-inventory", "run-rolling-update", "start-task", "start-task", "verify-running"], "rewrite-inventory"),
    ])
    func steps(_ kind: RunbookKind, _ names: [String], _ repoint: String) {
        let runbook = Runbook.make(kind, plan: Self.plan)
        #expect(runbook.steps.map(\.name) == names)
        #expect(runbook.steps[runbook.repointIndex].name == repoint)
    }

    @Test("Before the repoint every task is paused and the candidate re-checked", arguments: RunbookKind.allCases)
    func pausedBeforeRepoint(_ kind: RunbookKind) throws {
        let runbook = Runbook.make(kind, plan: Self.plan)
        let before = runbook.steps[..<runbook.repointIndex]
        let recheck = try #require(before.firstIndex(of: .recheck))
        for spec in Self.plan.tasks {
            #expect(before[..<recheck].contains(.pauseTask(spec.name)), "paused before the re-check")
        }
        #expect(before[recheck...].allSatisfy { $0 == .recheck || $0.name == "stop-task" })
        #expect(before.prefix(2) == [.queryStatus, .check])
        #expect(!before.contains { !$0.isReadOnly && $0.undo(files: [:]) == nil }, "everything before the repoint can be undone")
    }

    @Test("Tasks are started from their saved files, and the VIP must answer as the candidate")
    func parameters() {
        let address = Runbook.make(.v2Address, plan: Self.plan).steps
        #expect(address.contains(.startTask(name: "orders", file: "tasks/orders.yaml")))
        #expect(address.contains(.rewriteSourceFile(.db2)))
        let vip = Runbook.make(.v2VIP, plan: Self.plan).steps
        #expect(vip.contains(.moveVIP(from: .db1, to: .db2)))
        #expect(vip.contains(.verifyIdentityThroughVIP(expected: "uuid-2")))
    }

    @Test("Group settings pick the runbook from the DM generation and the repoint method")
    func runbookForGroup() {
        #expect(settings(dm: .v2, repoint: .vip(.vip)).runbook == .v2VIP)
        #expect(settings(dm: .v2, repoint: .address).runbook == .v2Address)
        #expect(settings(dm: .v1, repoint: .vip(.vip)).runbook == .v1VIP)
        #expect(settings(dm: .v1, repoint: .address).runbook == .v1Address)
    }
}
