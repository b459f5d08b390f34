/// The selector's answer: a decision, and a verdict with reasons for every candidate.
///
/// "No eligible candidate" is a decision with reasons, not an error (VTOrc's
/// `RecoverySkipCode`, Patroni's `failover_limitation`).
public struct Selection: Hashable, Sendable {
    public var decision: SelectionDecision
    /// Reasons no candidate can be judged (then `decision` is `.groupBlocked`).
    public var blockers: [GroupBlocker]
    /// One verdict per configured instance: choosable ones first in rank order, then the
    /// rejected ones by address.
    public var verdicts: [CandidateVerdict]
    /// DM's checkpoints the verdicts were judged against.
    public var checkpoints: [Checkpoint]

    /// The verdict of one instance.
    public func verdict(of instance: InstanceAddress) -> CandidateVerdict? {
        verdicts.first { $0.instance == instance }
    }

    /// The decision's sentence, then one sentence per blocker: what a log line says.
    public var sentence: String {
        ([decision.sentence] + blockers.map(\.sentence)).joined(separator: " ")
    }
}

/// What the selector decided.
public enum SelectionDecision: Hashable, Sendable {
    /// Switch to this candidate.
    case chosen(InstanceAddress, because: RankReason)
    /// The best candidate has received, but not applied, what it lacks: wait for it until then
    /// and evaluate again.
    case waitForCatchUp(InstanceAddress, until: Instant)
    /// Every candidate is rejected.
    case noEligibleCandidate
    /// No candidate can be judged (see `blockers`).
    case groupBlocked
    /// The requested target is rejected (a switchover, or a run re-checking its candidate).
    case targetRefused(CandidateVerdict)
    /// The requested target is not an instance of the group.
    case targetUnknown(InstanceAddress)

    public var code: String {
        switch self {
        case .chosen: "candidate-chosen"
        case .waitForCatchUp: "waiting-for-catch-up"
        case .noEligibleCandidate: "no-eligible-candidate"
        case .groupBlocked: "group-blocked"
        case .targetRefused: "target-refused"
        case .targetUnknown: "target-unknown"
        }
    }

    public var sentence: String {
        switch self {
        case .chosen(let instance, let reason):
            "Chose \(instance): \(reason.clause)."
        case .waitForCatchUp(let instance, let until):
            "Waiting until \(until) for \(instance) to apply what it has received."
        case .noEligibleCandidate:
            "No eligible candidate: every instance is rejected."
        case .groupBlocked:
            "No candidate can be checked."
        case .targetRefused(let verdict):
            "Refused \(verdict.instance): \(verdict.sentence)"
        case .targetUnknown(let instance):
            "Refused \(instance): it is not an instance of the group."
        }
    }
}

/// Why the chosen candidate beat the runner-up: the ranking key that decided.
public enum RankReason: Hashable, Sendable {
    /// No other candidate could be chosen.
    case onlyCandidate
    /// The operator named it.
    case requested
    case higherPriority(Int, over: InstanceAddress, theirs: Int)
    case moreTransactions(UInt64, over: InstanceAddress, theirs: UInt64)
    /// Same priority and transaction count: the address (host, then port) decides, so the
    /// choice is the same every time.
    case tieBreak(over: InstanceAddress)

    public var clause: String {
        switch self {
        case .onlyCandidate:
            "the only eligible candidate"
        case .requested:
            "requested by the operator and eligible"
        case .higherPriority(let mine, let other, let theirs):
            "priority \(mine) over \(other)'s \(theirs)"
        case .moreTransactions(let mine, let other, let theirs):
            "\(mine) transactions over \(other)'s \(theirs) at the same priority"
        case .tieBreak(let other):
            "ties with \(other) on priority and transactions; the address decides"
        }
    }
}
