import GTID
@testable import Failover

/// DM, the group's instances and the VIP, as a run machine sees them: a fake that applies each
/// step's effect and records a transcript of what was performed.
struct FakeWorld {
    var tasks: [TaskStatus]
    var source: SourceStatus?
    var vipTarget: InstanceAddress
    var instances: [InstanceAddress: InstanceState]
    var down: Set<InstanceAddress>
    var savedSourceAddress: InstanceAddress
    var inventoryAddress: InstanceAddress
    /// Every step performed, in order.
    var performed: [StepKind] = []
    /// Stopped tasks: the downstream checkpoint survives stop-task (dm-interface.md §3.2), so
    /// start-task continues from it.
    var stopped: [String: TaskStatus] = [:]
    /// Steps whose next N executions fail without effect.
    var failing: [StepKind: Int] = [:]
    /// Steps whose next N executions take effect but report failure.
    var failingAfterEffect: [StepKind: Int] = [:]
    /// Steps whose next N executions report success without effect (dmctl exits 0 on "result": false).
    var withoutEffect: [StepKind: Int] = [:]
    /// Steps whose evidence (DM's status, the VIP probe) cannot be gathered the next N times.
    var unreadable: [StepKind: Int] = [:]
    /// Steps performed although their effect was already there: a blind repeat.
    var blindRepeats: [StepKind] = []
    /// Runs after each performed step (to move DM's checkpoint on pause, for one).
    var afterStep: (@Sendable (StepKind, inout FakeWorld) -> Void)?
    /// Runs before each evidence request (to let a replica catch up over time).
    var beforeEvidence: (@Sendable (Instant, inout FakeWorld) -> Void)?

    static let syncer = "\(UUID.a):1-100"

    /// db1 is the upstream (down unless `upstreamHealthy`), db2 the best candidate, db3 behind.
    static func standard(_ kind: RunbookKind, upstreamHealthy: Bool = false) throws -> FakeWorld {
        let v1 = kind == .v1VIP || kind == .v1Address
        let s = try mysql(syncer)
        let tasks = ["orders", "billing"].map { name in
            TaskStatus(name: name, source: "mysql-replica-01", stage: .running, syncerGTID: v1 ? .empty(.mysql) : s, relayGTID: v1 ? s : nil, relayEnabled: v1)
        }
        let ioState: ReplicationThreadState = upstreamHealthy ? .running : .connecting
        return FakeWorld(
            tasks: tasks,
            source: SourceStatus(sourceID: "mysql-replica-01", address: .db1, relayStage: v1 ? .running : nil, relaySubDir: v1 ? "id-db1.000001" : nil),
            vipTarget: .db1,
            instances: [
                .db1: state("id-db1", e: try mysql("\(UUID.a):1-120")),
                .db2: state("id-db2", e: try mysql("\(UUID.a):1-120"), p: try mysql("\(UUID.a):1-10"), replicatingFrom: .db1, io: ioState),
                .db3: state("id-db3", e: try mysql("\(UUID.a):1-80"), replicatingFrom: .db1, io: ioState),
            ],
            down: upstreamHealthy ? [] : [.db1],
            savedSourceAddress: .db1, inventoryAddress: .db1)
    }

    func observation(_ instance: InstanceAddress) -> InstanceObservation {
        if down.contains(instance) || instances[instance] == nil { return failed(instance) }
        return reachable(instance, instances[instance] ?? state("?", e: .empty(.mysql)))
    }

    var dmStatus: DMStatus { DMStatus(tasks: tasks, source: source) }

    mutating func evidence(_ request: EvidenceRequest, step: StepKind?, at now: Instant) -> Evidence {
        beforeEvidence?(now, &self)
        if let step, request != EvidenceRequest(instances: [.db1]), let left = unreadable[step], left > 0 {
            unreadable[step] = left - 1
            return Evidence(failures: ["query-status failed: the DM master did not answer."])
        }
        var evidence = Evidence()
        if request.dmStatus { evidence.dmStatus = dmStatus }
        evidence.instances = request.instances.map(observation)
        if let vip = request.throughVIP {
            let target = observation(vipTarget)
            evidence.throughVIP = InstanceObservation(instance: vip, outcome: target.outcome)
        }
        if request.savedSourceAddress { evidence.savedSourceAddress = savedSourceAddress }
        if request.inventoryAddress { evidence.inventoryAddress = inventoryAddress }
        return evidence
    }

    mutating func perform(_ step: StepKind) -> StepResult {
        if isDone(step) { blindRepeats.append(step) }
        performed.append(step)
        if take(&failing, step) { return .failed("Could not \(step.name): the fake world refused.") }
        if take(&withoutEffect, step) { return .succeeded }
        apply(step)
        afterStep?(step, &self)
        if take(&failingAfterEffect, step) { return .failed("Could not \(step.name): dmctl timed out (it did take effect).") }
        return .succeeded
    }

    private func take(_ counts: inout [StepKind: Int], _ step: StepKind) -> Bool {
        guard let left = counts[step], left > 0 else { return false }
        counts[step] = left - 1
        return true
    }

    /// The fake's own idea of "this step's effect is already there", independent of the
    /// machine's verification code.
    func isDone(_ step: StepKind) -> Bool {
        let task = { (name: String) in tasks.first { $0.name == name } }
        switch step {
        case .pauseTask(let name): return task(name)?.stage == .paused && task(name)?.errors.isEmpty == true
        case .resumeTask(let name): return task(name)?.stage == .running
        case .stopTask(let name): return task(name) == nil
        case .startTask(let name, _): return task(name) != nil
        case .pauseRelay: return source?.relayStage == .paused && source?.relayErrors.isEmpty == true
        case .resumeRelay: return source?.relayStage == .running
        case .moveVIP(_, let to): return vipTarget == to
        case .switchRelayMaster: return source?.relaySubDir?.hasPrefix("\(instances[vipTarget]?.serverIdentity ?? "?").") == true
        case .operateSourceStop: return source == nil
        case .rewriteSourceFile(let address): return savedSourceAddress == address
        case .operateSourceCreate: return source != nil
        case .rewriteInventory(let address): return inventoryAddress == address
        case .runRollingUpdate: return source?.address == inventoryAddress
        case .queryStatus, .check, .recheck, .verifyIdentityThroughVIP, .verifyRunning: return false
        }
    }

    private mutating func apply(_ step: StepKind) {
        switch step {
        case .pauseTask(let name): setTask(name) { $0.stage = .paused; $0.errors = [] }
        case .resumeTask(let name): setTask(name) { $0.stage = .running; $0.errors = [] }
        case .stopTask(let name):
            if let index = tasks.firstIndex(where: { $0.name == name }) {
                var kept = tasks.remove(at: index)
                kept.stage = .running
                kept.errors = []
                stopped[name] = kept
            }
        case .startTask(let name, _):
            if let kept = stopped.removeValue(forKey: name) { tasks.append(kept) }
        case .pauseRelay:
            source?.relayStage = .paused
            source?.relayErrors = []
        case .resumeRelay: source?.relayStage = .running
        case .moveVIP(_, let to): vipTarget = to
        case .switchRelayMaster: source?.relaySubDir = "\(instances[vipTarget]?.serverIdentity ?? "?").000002"
        case .operateSourceStop: source = nil
        case .rewriteSourceFile(let address): savedSourceAddress = address
        case .operateSourceCreate: source = SourceStatus(sourceID: "mysql-replica-01", address: savedSourceAddress)
        case .rewriteInventory(let address): inventoryAddress = address
        case .runRollingUpdate:
            source?.address = inventoryAddress
            source?.relaySubDir = "\(instances[inventoryAddress]?.serverIdentity ?? "?").000002"
        case .queryStatus, .check, .recheck, .verifyIdentityThroughVIP, .verifyRunning: break
        }
    }

    private mutating func setTask(_ name: String, _ change: (inout TaskStatus) -> Void) {
        guard let index = tasks.firstIndex(where: { $0.name == name }) else { return }
        change(&tasks[index])
    }

    /// How many times each step was performed.
    func count(_ step: StepKind) -> Int { performed.filter { $0 == step }.count }
}
