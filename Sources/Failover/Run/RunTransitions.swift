/// Where a run machine is within its current step.
///
/// Legal transitions are exactly the rows of `RunTransition.table`.
public enum RunPhase: String, Hashable, Sendable, CaseIterable {
    /// Created, not started (fresh, or rebuilt from the journal).
    case starting
    /// Asked the shell whether the current step's effect is already there.
    case verifyingPrecondition
    /// Asked the shell to perform the step (its intent is on disk).
    case executing
    /// Asked the shell whether the step took effect; for an observing step, its observation.
    case verifyingEffect
    /// An attempt failed; waiting for the backoff before verifying and trying again.
    case waitingToRetry
    /// The candidate has received what it lacks; waiting before checking it again.
    case waitingForCatchUp
    /// Aborting before the repoint: asked whether the old upstream is healthy.
    case checkingOldUpstream
    /// Done; `outcome` says how.
    case finished
}

/// What moved a run machine; the event column of the transition table.
public enum RunEvent: String, Hashable, Sendable, CaseIterable {
    case start
    case alreadyDone
    case notDone
    case stepSucceeded
    case effectHolds
    case checkPassed
    case checkWaits
    case catchUpDue
    case checkRefused
    case attemptFailed
    case retryDue
    case retriesExhausted
    case oldUpstreamHealthy
    case oldUpstreamUnhealthy
    case journalFailed
}

/// One legal transition of the run machine, with the reason it exists.
public struct RunTransition: Hashable, Sendable, CustomStringConvertible {
    public var from: RunPhase
    public var on: RunEvent
    public var to: RunPhase
    public var why: String

    public var description: String {
        "\(from.rawValue) --\(on.rawValue)--> \(to.rawValue): \(why)"
    }

    /// The (from, event, to) triple, without the comment.
    public struct Key: Hashable, Sendable {
        public var from: RunPhase
        public var on: RunEvent
        public var to: RunPhase
    }

    public var key: Key { Key(from: from, on: on, to: to) }

    private init(_ from: RunPhase, _ on: RunEvent, _ to: RunPhase, _ why: String) {
        self.from = from
        self.on = on
        self.to = to
        self.why = why
    }

    /// Every legal transition. "The next step" is `verifyingPrecondition` when it changes
    /// something, `verifyingEffect` when it only observes, and `finished` after the last one.
    public static let table: [RunTransition] = [
        // Starting: a fresh run begins at step 1; a resumed run where the journal left off.
        .init(.starting, .start, .verifyingPrecondition, "The step changes something: first ask whether it is already done (never repeat blindly)."),
        .init(.starting, .start, .verifyingEffect, "The step only observes (query-status, a check, a verification): gather its evidence."),
        .init(.starting, .start, .checkingOldUpstream, "Resumed while aborting before the repoint: ask again whether the old upstream is healthy."),
        .init(.starting, .start, .finished, "Resumed with every step accounted for: only the finish remains to be recorded."),

        // Verifying the precondition of a step that changes something.
        .init(.verifyingPrecondition, .alreadyDone, .verifyingPrecondition, "Already done (a paused task is not paused again); the next step changes something too."),
        .init(.verifyingPrecondition, .alreadyDone, .verifyingEffect, "Already done; the next step only observes."),
        .init(.verifyingPrecondition, .alreadyDone, .finished, "Already done, and it was the last step."),
        .init(.verifyingPrecondition, .notDone, .executing, "Not done: write the intent (fsync), then perform the step."),
        .init(.verifyingPrecondition, .attemptFailed, .waitingToRetry, "DM's state could not be read; look again after the backoff."),
        .init(.verifyingPrecondition, .retriesExhausted, .checkingOldUpstream, "Before the repoint, with tasks paused by this run: decide whether to give them back."),
        .init(.verifyingPrecondition, .retriesExhausted, .finished, "Nothing changed yet, or a shared step failed after the repoint: stop, and the group is held."),
        .init(.verifyingPrecondition, .retriesExhausted, .verifyingPrecondition, "A per-task step gave up after the repoint (or while restoring): the next task still goes on."),
        .init(.verifyingPrecondition, .retriesExhausted, .verifyingEffect, "A per-task step gave up after the repoint: the final verification still runs."),
        .init(.verifyingPrecondition, .journalFailed, .finished, "The journal cannot be written: no step may be taken without its intent on disk."),

        // Executing a step.
        .init(.executing, .stepSucceeded, .verifyingEffect, "The shell reports success, which is not trusted (dmctl exits 0 on \"result\": false): verify the effect."),
        .init(.executing, .attemptFailed, .waitingToRetry, "The step failed or timed out; verify and try again after the backoff."),
        .init(.executing, .retriesExhausted, .checkingOldUpstream, "The last attempt failed before the repoint: decide whether to give the tasks back."),
        .init(.executing, .retriesExhausted, .finished, "The last attempt failed with nothing changed yet, or on a shared step after the repoint: stop and hold."),
        .init(.executing, .retriesExhausted, .verifyingPrecondition, "A per-task step gave up after the repoint (or while restoring): the next task still goes on."),
        .init(.executing, .retriesExhausted, .verifyingEffect, "A per-task step gave up after the repoint: the final verification still runs."),
        .init(.executing, .journalFailed, .finished, "The intent could not be written, so the shell did not perform the step: stop."),

        // Verifying an effect, or evaluating an observing step.
        .init(.verifyingEffect, .effectHolds, .verifyingPrecondition, "The effect is there; the next step changes something."),
        .init(.verifyingEffect, .effectHolds, .verifyingEffect, "The effect is there; the next step only observes."),
        .init(.verifyingEffect, .effectHolds, .finished, "The last step is verified: the run completed."),
        .init(.verifyingEffect, .checkPassed, .verifyingPrecondition, "The candidate satisfies DM's GTID conditions: go on to the pause (or the repoint)."),
        .init(.verifyingEffect, .checkWaits, .waitingForCatchUp, "The candidate has received what it lacks: wait for it to apply, up to the catch-up timeout."),
        .init(.verifyingEffect, .checkRefused, .finished, "The first check refuses the candidate: nothing was changed; stop and hold."),
        .init(.verifyingEffect, .checkRefused, .checkingOldUpstream, "The re-check after pausing refuses it: nothing is repointed; decide whether to give the tasks back."),
        .init(.verifyingEffect, .attemptFailed, .waitingToRetry, "The effect is not there yet (a task still Resuming) or could not be read: look again after the backoff."),
        .init(.verifyingEffect, .retriesExhausted, .checkingOldUpstream, "The effect never appeared before the repoint: decide whether to give the tasks back."),
        .init(.verifyingEffect, .retriesExhausted, .finished, "The effect never appeared with nothing changed yet, or on a shared step after the repoint: stop and hold."),
        .init(.verifyingEffect, .retriesExhausted, .verifyingPrecondition, "A per-task effect never appeared after the repoint (or while restoring): the next task still goes on."),
        .init(.verifyingEffect, .retriesExhausted, .verifyingEffect, "A per-task effect never appeared after the repoint: the final verification still runs."),
        .init(.verifyingEffect, .journalFailed, .finished, "The journal cannot be written: stop."),

        // Waiting.
        .init(.waitingToRetry, .retryDue, .verifyingPrecondition, "Backoff over: verify before redoing, because the failed attempt may have taken effect."),
        .init(.waitingToRetry, .retryDue, .verifyingEffect, "Backoff over: an observing step is simply observed again."),
        .init(.waitingToRetry, .journalFailed, .finished, "The failed attempt could not be journaled: stop."),
        .init(.waitingForCatchUp, .catchUpDue, .verifyingEffect, "Time to look at the catching-up candidate again."),
        .init(.waitingForCatchUp, .journalFailed, .finished, "The wait could not be journaled: stop."),

        // Aborting before the repoint.
        .init(.checkingOldUpstream, .oldUpstreamHealthy, .verifyingPrecondition, "The old upstream answers: resume (or start) what this run paused (or stopped)."),
        .init(.checkingOldUpstream, .oldUpstreamUnhealthy, .finished, "The old upstream does not answer: leave the tasks paused, since resuming would only fail; hold."),
        .init(.checkingOldUpstream, .journalFailed, .finished, "The abort could not be journaled: stop."),
    ]

    /// The table's keys, for membership checks.
    public static let keys: Set<Key> = Set(table.map(\.key))
}
