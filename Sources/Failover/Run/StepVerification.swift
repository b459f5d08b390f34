/// The answer of a verification: the expected state is there, or a sentence saying what is.
enum StepCheck: Hashable, Sendable {
    case holds
    /// The expected state is not there (a fact: "not done").
    case missing(String)
    /// The evidence could not be read, so nothing is known (retried, never taken as "not done").
    case unknown(String)
}

/// What a step needs to know and how its effect is recognised.
///
/// The same predicate answers "already done?" before a step and "did it take effect?" after
/// it, except where DM's semantics differ (a task Paused by an error is paused again, because
/// DM would auto-resume it, dm-interface.md §3.2).
struct StepContext: Sendable {
    var plan: RunbookPlan
    var settings: GroupSettings
    var kind: RunKind

    /// Which evidence a step's verification reads.
    func evidence(for step: StepKind) -> EvidenceRequest {
        switch step {
        case .check, .recheck:
            EvidenceRequest(dmStatus: true, instances: checkedInstances)
        case .moveVIP, .verifyIdentityThroughVIP:
            EvidenceRequest(throughVIP: settings.repoint.vip)
        case .rewriteSourceFile:
            EvidenceRequest(savedSourceAddress: true)
        case .rewriteInventory:
            EvidenceRequest(inventoryAddress: true)
        case .queryStatus, .pauseTask, .pauseRelay, .switchRelayMaster, .resumeRelay, .resumeTask, .stopTask,
             .operateSourceStop, .operateSourceCreate, .startTask, .runRollingUpdate, .verifyRunning:
            EvidenceRequest(dmStatus: true)
        }
    }

    /// The instances the GTID checks probe. A failover's old upstream is left out: it was
    /// declared down, the selector rejects it as the current upstream whatever it answers,
    /// and a hung one would hold every check for its probe timeout. A switchover's old
    /// upstream answers, and its gtid-E tells the other candidates' errant transactions apart.
    private var checkedInstances: [InstanceAddress] {
        settings.instances.map(\.address).filter { kind == .switchover || $0 != plan.from }
    }

    /// Before a step that changes something: is its effect already there?
    ///
    /// A task or relay that is Paused by an error is not paused: DM's task checker resumes it
    /// by itself (dm-interface.md §3.2, §8.2), so after the VIP moves it would reconnect to the
    /// new server on its own, before the runbook's switch. The command pauses it for good (where
    /// DM refuses to pause a relay that is not Running, the shell takes that answer as done and
    /// the effect, stage Paused, is verified as for any step).
    func alreadyDone(_ step: StepKind, _ evidence: Evidence) -> StepCheck {
        if case .pauseTask(let name) = step, let task = evidence.dmStatus?.task(named: name),
           task.stage == .paused, !task.errors.isEmpty {
            return .missing("Task \(name) is Paused by an error (\(task.errors[0].code)), which DM would auto-resume.")
        }
        if step == .pauseRelay, let source = evidence.dmStatus?.source, source.relayStage == .paused,
           let error = source.relayErrors.first {
            return .missing("The relay is Paused by an error (\(error.code)), which DM would auto-resume.")
        }
        return effect(step, evidence)
    }

    /// After a step (or for a read-only step, its observation): does the expected state hold?
    func effect(_ step: StepKind, _ evidence: Evidence) -> StepCheck {
        switch step {
        case .check, .recheck:
            return .unknown("The GTID check is judged by the selector.")
        case .moveVIP:
            return vipAnswers(as: plan.toIdentity, evidence)
        case .verifyIdentityThroughVIP(let expected):
            return vipAnswers(as: expected, evidence)
        case .rewriteSourceFile(let address):
            return addressIs(address, evidence.savedSourceAddress, what: "The saved source file", evidence)
        case .rewriteInventory(let address):
            return addressIs(address, evidence.inventoryAddress, what: "The worker's inventory entry", evidence)
        default:
            guard let dm = evidence.dmStatus else { return .unknown(notGathered("DM's status", evidence)) }
            return dmEffect(step, dm)
        }
    }

    private func dmEffect(_ step: StepKind, _ dm: DMStatus) -> StepCheck {
        switch step {
        case .queryStatus:
            let planned = dm.tasks.filter { task in plan.tasks.contains { $0.name == task.name } }
            let missing = plan.tasks.filter { dm.task(named: $0.name) == nil }.map(\.name)
            if !missing.isEmpty { return .missing("DM does not report task \(missing.joined(separator: ", ")) on the source.") }
            let blockers = Checkpoint.collect(from: planned, settings: settings).blockers
            return blockers.isEmpty ? .holds : .missing(blockers.map(\.sentence).joined(separator: " "))
        case .pauseTask(let name):
            return taskStage(name, in: dm, is: [.paused])
        case .resumeTask(let name):
            return taskStage(name, in: dm, is: [.running])
        case .stopTask(let name):
            guard let task = dm.task(named: name), task.stage != .stopped else { return .holds }
            return .missing("Task \(name) is \(task.stage.rawValue), not stopped.")
        case .startTask(let name, _):
            guard let task = dm.task(named: name) else { return .missing("DM does not report task \(name) on the source.") }
            return task.stage == .stopped ? .missing("Task \(name) is Stopped.") : .holds
        case .pauseRelay:
            return relayStage(in: dm, is: .paused)
        case .resumeRelay:
            return relayStage(in: dm, is: .running)
        case .switchRelayMaster, .runRollingUpdate:
            guard let source = dm.source else { return .missing("DM does not report the source.") }
            if source.relayReads(from: plan.toIdentity) { return .holds }
            return .missing("The relay reads from \(source.relaySubDir ?? "nothing"), not from \(plan.toIdentity).")
        case .operateSourceStop:
            return dm.source == nil ? .holds : .missing("DM still has source \(settings.name).")
        case .operateSourceCreate:
            guard let source = dm.source else { return .missing("DM has no source \(settings.name).") }
            if let address = source.address, address != plan.to {
                return .missing("DM's source \(settings.name) reads from \(address), not \(plan.to).")
            }
            return .holds
        case .verifyRunning:
            for spec in plan.tasks {
                if case .missing(let why) = taskStage(spec.name, in: dm, is: [.running]) { return .missing(why) }
                if let error = dm.task(named: spec.name)?.errors.first {
                    return .missing("Task \(spec.name) is Running with error \(error.code): \(error.message)")
                }
            }
            return settings.relayRuns ? relayStage(in: dm, is: .running) : .holds
        default:
            return .unknown("Step \(step.name) is not verified through DM's status.")
        }
    }

    private func taskStage(_ name: String, in dm: DMStatus, is stages: Set<TaskStage>) -> StepCheck {
        guard let task = dm.task(named: name) else { return .missing("DM does not report task \(name) on the source.") }
        if stages.contains(task.stage) { return .holds }
        let wanted = stages.map(\.rawValue).sorted().joined(separator: " or ")
        return .missing("Task \(name) is \(task.stage.rawValue), not \(wanted).")
    }

    private func relayStage(in dm: DMStatus, is stage: TaskStage) -> StepCheck {
        guard let actual = dm.source?.relayStage else { return .missing("DM reports no relay for the source.") }
        return actual == stage ? .holds : .missing("The relay is \(actual.rawValue), not \(stage.rawValue).")
    }

    private func vipAnswers(as identity: String, _ evidence: Evidence) -> StepCheck {
        guard let probe = evidence.throughVIP else { return .unknown(notGathered("The probe through the VIP", evidence)) }
        switch probe.outcome {
        case .reachable(let state) where state.serverIdentity == identity:
            return .holds
        case .reachable(let state):
            return .missing("The VIP answers with server identity \(state.serverIdentity), not \(identity).")
        case .failed(let failure):
            return .missing("The VIP does not answer: \(failure).")
        }
    }

    private func addressIs(_ wanted: InstanceAddress, _ actual: InstanceAddress?, what: String, _ evidence: Evidence) -> StepCheck {
        guard let actual else { return .unknown(notGathered(what, evidence)) }
        return actual == wanted ? .holds : .missing("\(what) names \(actual), not \(wanted).")
    }

    func notGathered(_ what: String, _ evidence: Evidence) -> String {
        evidence.failures.isEmpty ? "\(what) could not be read." : "\(what) could not be read: \(evidence.failures.joined(separator: " "))"
    }
}

extension StepContext {
    /// What an outcome record keeps besides success: for query-status, the checkpoints read
    /// (the audit trail of what the run judged against).
    func detail(_ step: StepKind, _ evidence: Evidence) -> String {
        guard step == .queryStatus, let dm = evidence.dmStatus else { return "" }
        let checkpoints = Checkpoint.collect(from: dm.tasks, settings: settings).checkpoints
        return checkpoints.map { "\($0.label): \($0.gtid)" }.joined(separator: "; ")
    }
}
