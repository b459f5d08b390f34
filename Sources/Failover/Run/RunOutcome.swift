/// How a run ended.
public enum RunOutcome: Hashable, Sendable {
    /// Every step done and verified: DM reads from the new upstream.
    case completed
    /// Stopped before the repoint: DM still reads (or would read) from the old upstream.
    case abortedBeforeRepoint(RunFailure, dm: DMRestoration)
    /// Stopped after the repoint: DM was repointed but not everything was verified.
    case failedAfterRepoint(RunFailure)

    public var code: String {
        switch self {
        case .completed: "completed"
        case .abortedBeforeRepoint: "aborted-before-repoint"
        case .failedAfterRepoint: "failed-after-repoint"
        }
    }

    /// The outcome as one sentence; `header` supplies the endpoints.
    public func sentence(_ header: RunHeader) -> String {
        let run = "\(header.kind.rawValue.capitalizedFirst) \(header.id) from \(header.from) to \(header.to)"
        switch self {
        case .completed:
            return "\(run) completed: DM reads from \(header.to)."
        case .abortedBeforeRepoint(let failure, let dm):
            return "\(run) aborted before the repoint: \(failure.sentence) \(dm.sentence(old: header.from))"
        case .failedAfterRepoint(let failure):
            return "\(run) failed after the repoint: \(failure.sentence) DM was repointed to \(header.to) and needs an operator."
        }
    }
}

/// What a run that aborted before the repoint left DM with.
public enum DMRestoration: Hashable, Sendable {
    /// Nothing had been changed.
    case untouched
    /// The old upstream was healthy and everything this run paused or stopped runs again.
    case restored
    /// The old upstream was not healthy, so the tasks stay paused (resuming would only fail).
    case leftPaused(String)
    /// Giving the tasks back failed.
    case restoreFailed(String)

    public var code: String {
        switch self {
        case .untouched: "untouched"
        case .restored: "restored"
        case .leftPaused: "left-paused"
        case .restoreFailed: "restore-failed"
        }
    }

    public var detail: String {
        switch self {
        case .untouched, .restored: ""
        case .leftPaused(let why), .restoreFailed(let why): why
        }
    }

    func sentence(old: InstanceAddress) -> String {
        switch self {
        case .untouched: "DM was not changed."
        case .restored: "The tasks run again on the old upstream \(old)."
        case .leftPaused(let why): "The tasks stay paused because the old upstream \(old) is not healthy: \(why)"
        case .restoreFailed(let why): "Giving DM back the old upstream \(old) failed: \(why)"
        }
    }
}

/// Why a run did not complete.
public enum RunFailure: Hashable, Sendable {
    /// The GTID check (or re-check) refused the candidate; the sentence is the selector's.
    case checkRefused(step: String, verdict: String)
    /// A step failed on every attempt.
    case stepFailed(step: String, attempts: Int, error: String)
    /// The journal could not be written, so no further step may be taken (write-ahead).
    case journalUnavailable(String)

    public var code: String {
        switch self {
        case .checkRefused: "check-refused"
        case .stepFailed: "step-failed"
        case .journalUnavailable: "journal-unavailable"
        }
    }

    public var sentence: String {
        switch self {
        case .checkRefused(let step, let verdict):
            "The \(step) refused the candidate: \(verdict)"
        case .stepFailed(let step, let attempts, let error):
            "Step \(step) failed \(attempts) \(attempts == 1 ? "time" : "times"): \(error)"
        case .journalUnavailable(let why):
            "The journal cannot be written, so no further step is taken: \(why)"
        }
    }
}
