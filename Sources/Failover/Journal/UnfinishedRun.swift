/// What the journal says about a run that has no `runFinished` record.
///
/// Raw facts only (the last record of each step); `RunMachine(resuming:)` decides from them
/// where to continue, so the meaning of a record lives in one place.
public struct UnfinishedRun: Hashable, Sendable {
    public var header: RunHeader
    /// The last record of each forward step, by index.
    public var forward: [Int: StepProgress]
    /// Set once the run started aborting before the repoint.
    public var aborting: Aborting?
    /// The last record of each restore step, by index.
    public var restore: [Int: StepProgress]

    public init(header: RunHeader, forward: [Int: StepProgress] = [:], aborting: Aborting? = nil, restore: [Int: StepProgress] = [:]) {
        self.header = header
        self.forward = forward
        self.aborting = aborting
        self.restore = restore
    }

    public struct Aborting: Hashable, Sendable {
        public var failure: RunFailure
        public var restoreSteps: [StepKind]
    }
}

/// The last thing the journal says about one step.
public struct StepProgress: Hashable, Sendable {
    /// The attempt of the last record.
    public var attempt: Int
    /// nil: an intent without an outcome (the daemon stopped mid-step).
    public var result: StepRecordResult?
    /// True when an intent was ever written: the run may have performed the step, so an abort
    /// must undo it.
    public var intended: Bool

    public init(attempt: Int, result: StepRecordResult?, intended: Bool) {
        self.attempt = attempt
        self.result = result
        self.intended = intended
    }
}
