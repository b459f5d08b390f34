import GTID

/// Everything the selector judges candidates on.
public struct SelectionInput: Sendable {
    public var settings: GroupSettings
    /// The upstream being replaced, when known.
    public var upstream: InstanceAddress?
    public var dm: DMStatus
    /// The latest probe of each instance; an instance without one "has not been probed yet".
    public var observations: [InstanceObservation]
    /// The last answer of instances that no longer answer (the failed upstream): their GTID
    /// history still counts when deciding what is "seen elsewhere in the group".
    public var lastAnswers: [InstanceAddress: InstanceState]
    /// When each candidate was first found catching up; its deadline runs from there.
    public var catchUpSince: [InstanceAddress: Instant]
    public var now: Instant

    public init(
        settings: GroupSettings, upstream: InstanceAddress?, dm: DMStatus,
        observations: [InstanceObservation], lastAnswers: [InstanceAddress: InstanceState] = [:],
        catchUpSince: [InstanceAddress: Instant] = [:], now: Instant
    ) {
        self.settings = settings
        self.upstream = upstream
        self.dm = dm
        self.observations = observations
        self.lastAnswers = lastAnswers
        self.catchUpSince = catchUpSince
        self.now = now
    }
}

/// The safety model as a pure function: which candidate satisfies DM's GTID conditions.
///
/// For candidate C and every checkpoint X of every task on the source (DESIGN.md "The safety
/// model", dm-interface.md §9): `C.gtidP ⊆ X` (nothing DM needs was purged) and `X ⊆ C.gtidE`
/// (C has everything DM took). Ranking among eligible candidates: configured priority (higher
/// first), then most transactions, then the address — so the same inputs always give the same
/// choice. A candidate that lacks only what it has already received competes in that ranking as
/// "catching up"; if it ranks first, the decision is to wait for it (up to the catch-up timeout).
public enum Selector {
    /// Picks the best candidate of the group.
    public static func select(_ input: SelectionInput) -> Selection {
        var (selection, choosable) = judge(input)
        guard selection.blockers.isEmpty else {
            selection.decision = .groupBlocked
            return selection
        }
        let ranked = rank(choosable)
        selection.verdicts = ranked + selection.verdicts.filter { $0.standing == .rejected }.sorted { $0.instance < $1.instance }
        guard let best = ranked.first else {
            selection.decision = .noEligibleCandidate
            return selection
        }
        if best.standing == .catchingUp {
            selection.decision = .waitForCatchUp(best.instance, until: catchUpDeadline(best.instance, input))
        } else {
            selection.decision = .chosen(best.instance, because: rankReason(best, runnerUp: ranked.dropFirst().first))
        }
        return selection
    }

    /// Judges one requested target (an operator's switchover, or a run re-checking the
    /// candidate it already chose): chosen, wait, or refused with its verdict.
    public static func select(_ input: SelectionInput, target: InstanceAddress) -> Selection {
        var (selection, _) = judge(input)
        guard selection.blockers.isEmpty else {
            selection.decision = .groupBlocked
            return selection
        }
        guard let verdict = selection.verdict(of: target) else {
            selection.decision = .targetUnknown(target)
            return selection
        }
        switch verdict.standing {
        case .eligible: selection.decision = .chosen(target, because: .requested)
        case .catchingUp: selection.decision = .waitForCatchUp(target, until: catchUpDeadline(target, input))
        case .rejected: selection.decision = .targetRefused(verdict)
        }
        return selection
    }

    // MARK: - Judging

    /// Verdicts for every instance, with expired catch-ups already turned into rejections.
    private static func judge(_ input: SelectionInput) -> (Selection, [CandidateVerdict]) {
        let (checkpoints, blockers) = Checkpoint.collect(from: input.dm.tasks, settings: input.settings)
        let latest = Dictionary(input.observations.map { ($0.instance, $0) }, uniquingKeysWith: { _, last in last })
        var verdicts: [CandidateVerdict] = []
        for spec in input.settings.instances {
            var verdict = judge(spec, observation: latest[spec.address], checkpoints: checkpoints, input: input, latest: latest)
            if verdict.standing == .catchingUp, input.now >= catchUpDeadline(spec.address, input) {
                verdict.rejections.append(.catchUpTimedOut(verdict.catchUp, timeout: input.settings.catchUpTimeout))
            }
            verdicts.append(verdict)
        }
        let selection = Selection(decision: .noEligibleCandidate, blockers: blockers, verdicts: verdicts, checkpoints: checkpoints)
        return (selection, verdicts.filter { $0.standing != .rejected })
    }

    private static func judge(
        _ spec: InstanceSpec, observation: InstanceObservation?, checkpoints: [Checkpoint],
        input: SelectionInput, latest: [InstanceAddress: InstanceObservation]
    ) -> CandidateVerdict {
        var verdict = CandidateVerdict(
            instance: spec.address, priority: spec.priority, transactionCount: 0, rejections: [], catchUp: [],
            warnings: [], serverIdentity: observation?.state?.serverIdentity)
        if spec.address == input.upstream {
            verdict.rejections.append(.currentUpstream)
            return verdict
        }
        if spec.noFailover { verdict.rejections.append(.excludedByOperator) }
        guard let state = observation?.state else {
            verdict.rejections.append(.unreachable(observation?.failure))
            return verdict
        }
        verdict.transactionCount = state.gtidE.transactionCount
        let gaps = PreflightGap.gaps(in: state.preflight)
        if !gaps.isEmpty { verdict.rejections.append(.notReadyForDM(gaps)) }
        if let outside = outsideGroup(state, checkpoints: checkpoints, settings: input.settings) {
            verdict.rejections.append(.outsideGroup(outside))
            return verdict
        }
        let fault = state.replication.flatMap(ReplicationFault.fault(in:))
        if let fault { verdict.rejections.append(.replicationBroken(fault)) }
        judgeGTIDs(state, checkpoints: checkpoints, canCatchUp: fault == nil, into: &verdict)
        if !verdict.catchUp.isEmpty, state.replication?.sqlRunning == false { verdict.warnings.append(.applierStopped) }
        let errant = errantOrigins(of: spec.address, state, checkpoints: checkpoints, input: input, latest: latest)
        if !errant.isEmpty { verdict.warnings.append(.errantTransactions(origins: errant)) }
        return verdict
    }

    /// gtid-P ⊆ X ⊆ gtid-E for every checkpoint X; what is missing but received is catch-up.
    ///
    /// A stopped SQL thread without an error does not reject: HA tools stop and restart the
    /// appliers while they promote, so the preferred candidate is waited for (with a warning)
    /// up to the catch-up timeout rather than passed over for a moment's pause.
    private static func judgeGTIDs(_ state: InstanceState, checkpoints: [Checkpoint], canCatchUp: Bool, into verdict: inout CandidateVerdict) {
        var reachable = state.gtidE
        if canCatchUp, let received = state.replication?.received { reachable = reachable.union(received) }
        for checkpoint in checkpoints {
            let reference = CheckpointReference(task: checkpoint.task, kind: checkpoint.kind)
            if !state.gtidP.isContained(in: checkpoint.gtid) {
                verdict.rejections.append(.purgedBeyondCheckpoint(Shortfall(checkpoint: reference, difference: state.gtidP.missing(from: checkpoint.gtid))))
            }
            guard !checkpoint.gtid.isContained(in: state.gtidE) else { continue }
            let lacks = Shortfall(checkpoint: reference, difference: checkpoint.gtid.missing(from: state.gtidE))
            if canCatchUp, checkpoint.gtid.isContained(in: reachable) {
                verdict.catchUp.append(lacks)
            } else {
                verdict.rejections.append(.behindDM(lacks))
            }
        }
        if !verdict.catchUp.isEmpty { verdict.transactionCount = reachable.transactionCount }
    }

    /// Same group: same GTID flavor, a history that includes the origins of gtid-S, and a
    /// replication source (if any) that is an instance of the group or its VIP.
    private static func outsideGroup(_ state: InstanceState, checkpoints: [Checkpoint], settings: GroupSettings) -> OutsideGroup? {
        if let flavor = checkpoints.first?.gtid.flavor, state.gtidE.flavor != flavor {
            return .otherFlavor(state.gtidE.flavor)
        }
        var known = state.gtidE.originIDs
        if let received = state.replication?.received { known.formUnion(received.originIDs) }
        let needed = checkpoints.reduce(into: Set<String>()) { $0.formUnion($1.gtid.originIDs) }
        let lacking = needed.subtracting(known)
        if !lacking.isEmpty { return .lacksOrigins(lacking.sorted()) }
        if let source = state.replication?.source {
            let groupAddresses = Set(settings.instances.map(\.address)).union(settings.repoint.vip.map { [$0] } ?? [])
            if !groupAddresses.contains(source) { return .replicatesFrom(source) }
        }
        return nil
    }

    /// Origins in the candidate's history that no other instance (now or at its last answer)
    /// and no checkpoint has.
    private static func errantOrigins(
        of address: InstanceAddress, _ state: InstanceState, checkpoints: [Checkpoint],
        input: SelectionInput, latest: [InstanceAddress: InstanceObservation]
    ) -> [String] {
        var elsewhere = checkpoints.reduce(into: Set<String>()) { $0.formUnion($1.gtid.originIDs) }
        for spec in input.settings.instances where spec.address != address {
            if let other = latest[spec.address]?.state ?? input.lastAnswers[spec.address] {
                elsewhere.formUnion(other.gtidE.originIDs)
            }
        }
        return state.gtidE.originIDs.subtracting(elsewhere).sorted()
    }

    // MARK: - Ranking

    private static func rank(_ verdicts: [CandidateVerdict]) -> [CandidateVerdict] {
        verdicts.sorted { a, b in
            if a.priority != b.priority { return a.priority > b.priority }
            if a.transactionCount != b.transactionCount { return a.transactionCount > b.transactionCount }
            return a.instance < b.instance
        }
    }

    private static func rankReason(_ best: CandidateVerdict, runnerUp: CandidateVerdict?) -> RankReason {
        guard let other = runnerUp else { return .onlyCandidate }
        if best.priority != other.priority {
            return .higherPriority(best.priority, over: other.instance, theirs: other.priority)
        }
        if best.transactionCount != other.transactionCount {
            return .moreTransactions(best.transactionCount, over: other.instance, theirs: other.transactionCount)
        }
        return .tieBreak(over: other.instance)
    }

    private static func catchUpDeadline(_ instance: InstanceAddress, _ input: SelectionInput) -> Instant {
        (input.catchUpSince[instance] ?? input.now) + input.settings.catchUpTimeout
    }
}
