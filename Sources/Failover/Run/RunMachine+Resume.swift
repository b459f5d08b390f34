extension RunMachine {
    /// Where a machine begins when started.
    enum ResumePoint: Hashable, Sendable {
        /// A new run: journal the header, then step 1.
        case fresh
        /// Continue at `index` (verifying first, as always).
        case step(pendingIntent: Bool)
        /// The run was aborting and had not started restoring: ask about the old upstream again.
        case oldUpstream
        /// The last journaled outcome gave up before the repoint: apply the abort policy.
        case abort(RunFailure)
        /// The last journaled outcome gave up on a shared step after the repoint.
        case stop(RunFailure)
    }

    /// Rebuilds a run from the journal; `start` continues it where the journal left off.
    public init(resuming run: UnfinishedRun, settings: GroupSettings) {
        self.init(header: run.header, settings: settings)
        performed = Set(run.forward.filter { $0.value.intended && $0.key < run.header.steps.count }.keys)
        if let aborting = run.aborting {
            self.aborting = aborting
            guard !run.restore.isEmpty else {
                resumePoint = .oldUpstream
                return
            }
            restoring = true
            resumePoint = walk(run.restore)
        } else {
            resumePoint = walk(run.forward)
        }
    }

    /// Walks the journaled progress of the current stage to the first step without a final
    /// result, applying the same failure policy the live machine applied.
    private mutating func walk(_ progress: [Int: StepProgress]) -> ResumePoint {
        while let step = currentStep, let last = progress[index] {
            switch last.result {
            case nil:
                attempt = last.attempt
                return .step(pendingIntent: true)
            case .succeeded, .alreadyDone:
                index += 1
            case .failed(_, retryAt: .some):
                attempt = last.attempt + 1
                return .step(pendingIntent: false)
            case .failed(let error, retryAt: nil):
                let failure = RunFailure.stepFailed(step: step.name, attempts: last.attempt, error: error)
                if restoring {
                    restoreFailures.append(failure.sentence)
                } else if !mayHaveRepointed {
                    return .abort(failure)
                } else if step.failureStopsRunAfterRepoint {
                    return .stop(failureAfterRepoint ?? failure)
                } else if failureAfterRepoint == nil {
                    failureAfterRepoint = failure
                }
                index += 1
            case .refused(let verdict):
                return .abort(.checkRefused(step: step.name, verdict: verdict))
            }
        }
        attempt = 1
        return .step(pendingIntent: false)
    }
}
