/// One line of the journal: a decision, a step's intent or outcome, or a change of policy.
///
/// Written ahead (fsync before a step starts, and after it ends) so a restarted daemon can
/// replay holds, cooldowns and any unfinished run. The text form is versioned
/// (`JournalRecord.encode()`), one JSON object per line.
public enum JournalRecord: Hashable, Sendable {
    /// A run starts, with everything needed to continue it after a crash.
    case runStarted(RunHeader)
    /// A step is about to be performed (or observed).
    case stepIntent(StepRecord)
    /// What became of a step attempt.
    case stepOutcome(StepRecord, StepRecordResult, detail: String)
    /// A run gives up before the repoint; `restoreSteps` would give DM its old upstream back.
    case runAborting(run: RunID, failure: RunFailure, restoreSteps: [StepKind], at: Instant)
    /// A run ended.
    case runFinished(run: RunID, outcome: RunOutcome, at: Instant)
    /// A decision and its reason.
    case decision(Decision, at: Instant)
    case holdPlaced(Hold)
    /// Holds of the scope were lifted: of one kind (an expiry), or every kind (`release`).
    case holdReleased(scope: HoldScope, kind: HoldKind?, by: String, at: Instant)
    case cooldownStarted(Cooldown, at: Instant)
    /// `ack`: the cooldown of a group is lifted.
    case acknowledged(group: String, by: String, at: Instant)
    /// The group's upstream became known (or changed), so a restart during an outage still
    /// knows which instance DM read from.
    case upstreamLearned(group: String, instance: InstanceAddress, at: Instant)

    /// The instant the record speaks of.
    public var at: Instant {
        switch self {
        case .runStarted(let header): header.startedAt
        case .stepIntent(let step), .stepOutcome(let step, _, _): step.at
        case .runAborting(_, _, _, let at), .runFinished(_, _, let at), .decision(_, let at),
             .holdReleased(_, _, _, let at), .cooldownStarted(_, let at), .acknowledged(_, _, let at),
             .upstreamLearned(_, _, let at): at
        case .holdPlaced(let hold): hold.placedAt
        }
    }
}

/// Which step attempt a record speaks of.
public struct StepRecord: Hashable, Sendable {
    public var run: RunID
    public var stage: RunStage
    /// The step's index in the run's forward steps, or in its restore steps.
    public var index: Int
    public var step: StepKind
    /// 1-based.
    public var attempt: Int
    public var at: Instant

    public init(run: RunID, stage: RunStage, index: Int, step: StepKind, attempt: Int, at: Instant) {
        self.run = run
        self.stage = stage
        self.index = index
        self.step = step
        self.attempt = attempt
        self.at = at
    }
}

/// The result of one step attempt.
public enum StepRecordResult: Hashable, Sendable {
    /// Performed (or observed) and verified.
    case succeeded
    /// Its effect was already there; it was not performed again.
    case alreadyDone
    /// It failed; `retryAt` is when it is tried again, nil when the run gave up on it.
    case failed(String, retryAt: Instant?)
    /// The GTID check refused the candidate (final).
    case refused(String)

    public var code: String {
        switch self {
        case .succeeded: "succeeded"
        case .alreadyDone: "already-done"
        case .failed: "failed"
        case .refused: "refused"
        }
    }
}
