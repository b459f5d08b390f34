/// The four runbooks of DESIGN.md: DM v2+ or v1.0, VIP move or address change.
public enum RunbookKind: String, Hashable, Sendable, CaseIterable {
    case v2VIP = "v2-vip"
    case v2Address = "v2-address"
    case v1VIP = "v1-vip"
    case v1Address = "v1-address"
}

/// What a runbook is built from: the run's endpoints and the tasks on the source.
public struct RunbookPlan: Hashable, Sendable {
    public var from: InstanceAddress
    public var to: InstanceAddress
    /// The chosen candidate's server identity, which the VIP must answer with after the move.
    public var toIdentity: String
    /// Every task on the source (DM's list), with its saved file for the address runbooks.
    public var tasks: [TaskSpec]

    public init(from: InstanceAddress, to: InstanceAddress, toIdentity: String, tasks: [TaskSpec]) {
        self.from = from
        self.to = to
        self.toIdentity = toIdentity
        self.tasks = tasks
    }
}

/// One runbook as an explicit step list.
///
/// `repointIndex` is the first step that changes where DM reads. Before it, a failed run can
/// give DM back its old upstream; from it on, the run only goes forward.
public struct Runbook: Hashable, Sendable {
    public var kind: RunbookKind
    public var steps: [StepKind]
    public var repointIndex: Int

    public init(kind: RunbookKind, steps: [StepKind], repointIndex: Int) {
        self.kind = kind
        self.steps = steps
        self.repointIndex = repointIndex
    }

    /// Builds the runbook of `kind` for `plan`.
    public static func make(_ kind: RunbookKind, plan: RunbookPlan) -> Runbook {
        switch kind {
        case .v2VIP: v2VIP(plan)
        case .v2Address: v2Address(plan)
        case .v1VIP: v1VIP(plan)
        case .v1Address: v1Address(plan)
        }
    }

    /// DM v2+, VIP move (dm-interface.md §9, "VIP move", v2.0 – v8.x).
    private static func v2VIP(_ plan: RunbookPlan) -> Runbook {
        var steps: [StepKind] = []
        // 1. query-status: gtid-S = syncerBinlogGtid per task (§9 "GTID pre-checks"; §4.2).
        steps.append(.queryStatus)
        // 2. gtid-P ⊆ gtid-S ⊆ gtid-E, and relay ⊆ gtid-E when relay runs (§9).
        steps.append(.check)
        // 3. pause-task for every task on the source (§9: "all tasks on the source").
        steps += plan.tasks.map { .pauseTask($0.name) }
        // 4. Check again: pause-task flushes the checkpoint (failover-anchors.md §1.3).
        steps.append(.recheck)
        // 5. Move the VIP — the repoint (§9).
        let repoint = steps.count
        steps.append(.moveVIP(from: plan.from, to: plan.to))
        // 6. The VIP must answer as the candidate before DM reconnects (DESIGN.md runbooks).
        steps.append(.verifyIdentityThroughVIP(expected: plan.toIdentity))
        // 7. resume-task for every task (§9; §8.5: it reconnects through the VIP).
        steps += plan.tasks.map { .resumeTask($0.name) }
        // 8. query-status: every subtask Running (§9 "Verification after each step").
        steps.append(.verifyRunning)
        return Runbook(kind: .v2VIP, steps: steps, repointIndex: repoint)
    }

    /// DM v2+, address change (dm-interface.md §8.6).
    private static func v2Address(_ plan: RunbookPlan) -> Runbook {
        var steps: [StepKind] = []
        // 1. query-status (§9 "GTID pre-checks").
        steps.append(.queryStatus)
        // 2. The safety model (§9).
        steps.append(.check)
        // 3. pause-task for every task first: it flushes the checkpoint, and a paused subtask
        //    still shows it in query-status, while a stopped one is gone (v6+ stop-task is
        //    Delete, §3.2) — so this is what makes the re-check possible.
        steps += plan.tasks.map { .pauseTask($0.name) }
        // 4. Check again on the flushed checkpoint.
        steps.append(.recheck)
        // 5. stop-task for every task; the downstream checkpoint is kept (§8.6 step 1, §3.2).
        steps += plan.tasks.map { .stopTask($0.name) }
        // 6. operate-source stop — the repoint: DM stops reading the old address (§8.6 step 3).
        //    Relay started with start-relay on named workers would make this fail with 46023
        //    (§8.6 step 2); dmswitch relies on `enable-relay` in the source file (v5.4+).
        let repoint = steps.count
        steps.append(.operateSourceStop)
        // 7. from.host/from.port of the saved source file, same source-id (§8.6 step 4).
        steps.append(.rewriteSourceFile(plan.to))
        // 8. operate-source create with the rewritten file (§8.6 step 5).
        steps.append(.operateSourceCreate)
        // 9. start-task from the saved task files, never --remove-meta (§8.6 step 7, §3.3).
        steps += plan.tasks.map { .startTask(name: $0.name, file: $0.file) }
        // 10. query-status: every subtask Running (§9).
        steps.append(.verifyRunning)
        return Runbook(kind: .v2Address, steps: steps, repointIndex: repoint)
    }

    /// DM v1.0, VIP move (dm-interface.md §6.3 "VIP scenario").
    private static func v1VIP(_ plan: RunbookPlan) -> Runbook {
        var steps: [StepKind] = []
        // 1. query-status: gtid-W = relayBinlogGtid (§6.3 step 1).
        steps.append(.queryStatus)
        // 2. gtid-W ⊇ gtid-P and gtid-E ⊇ gtid-W (§6.3 step 2).
        steps.append(.check)
        // 3. pause-relay (§6.3 step 3).
        steps.append(.pauseRelay)
        // 4. pause-task for every task (§6.3 step 4).
        steps += plan.tasks.map { .pauseTask($0.name) }
        // 5. Check again with the relay and tasks paused.
        steps.append(.recheck)
        // 6. Move the VIP — the repoint (§6.3 step 5).
        let repoint = steps.count
        steps.append(.moveVIP(from: plan.from, to: plan.to))
        // 7. The VIP must answer as the candidate (DESIGN.md runbooks).
        steps.append(.verifyIdentityThroughVIP(expected: plan.toIdentity))
        // 8. switch-relay-master: needs relay Paused and GTID on (§6.3 step 6).
        steps.append(.switchRelayMaster)
        // 9. resume-relay (§6.3 step 7).
        steps.append(.resumeRelay)
        // 10. resume-task for every task (§6.3 step 8).
        steps += plan.tasks.map { .resumeTask($0.name) }
        // 11. query-status: relay and every subtask Running.
        steps.append(.verifyRunning)
        return Runbook(kind: .v1VIP, steps: steps, repointIndex: repoint)
    }

    /// DM v1.0, address change (dm-interface.md §6.3 "Address-change scenario").
    private static func v1Address(_ plan: RunbookPlan) -> Runbook {
        var steps: [StepKind] = []
        // 1. query-status (§6.3 step 1, "same checks as above").
        steps.append(.queryStatus)
        // 2. The safety model on relayBinlogGtid (§6.3 step 1).
        steps.append(.check)
        // 3. pause-task for every task first, so the re-check reads a settled position from
        //    subtasks that still exist (as in the v2+ address runbook).
        steps += plan.tasks.map { .pauseTask($0.name) }
        // 4. Check again with the tasks paused.
        steps.append(.recheck)
        // 5. stop-task for every task (§6.3 step 2).
        steps += plan.tasks.map { .stopTask($0.name) }
        // 6. mysql_host/mysql_port of the worker's inventory entry, same source_id — the
        //    repoint (§6.3 step 3).
        let repoint = steps.count
        steps.append(.rewriteInventory(plan.to))
        // 7. ansible-playbook rolling_update.yml --tags=dm-worker -l <alias> (§6.3 step 3).
        steps.append(.runRollingUpdate)
        // 8. start-task from the saved task files (§6.3 step 4).
        steps += plan.tasks.map { .startTask(name: $0.name, file: $0.file) }
        // 9. query-status: relay and every subtask Running.
        steps.append(.verifyRunning)
        return Runbook(kind: .v1Address, steps: steps, repointIndex: repoint)
    }
}
