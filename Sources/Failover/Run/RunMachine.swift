/// Drives one run (failover or switchover) through its runbook; a pure struct whose mutating
/// event methods return the actions to perform (swift-nio's `…StateMachine` style).
///
/// The safety model (DESIGN.md): the switch happens only if, for every task on the group's
/// source and the chosen candidate C, gtid-P(C) ⊆ gtid-S ⊆ gtid-E(C) (and, with relay,
/// relayBinlogGtid ⊆ gtid-E(C)). It is checked before anything changes and again after the
/// tasks are paused, since pausing flushes and can move DM's checkpoint; if the second check
/// fails, nothing is repointed. DM never reads from two servers: every task is paused (or
/// stopped) before the VIP moves or the address changes, and the VIP must answer with C's
/// server identity before anything resumes.
///
/// Every step goes: verify DM's state (is it already done? a paused task is not paused again,
/// a Running task not resumed again) → write the intent (fsync) → perform → verify the effect
/// (stage Paused/Running, identity through the VIP, source address) → write the outcome. Read-
/// only steps are just observed. A failed attempt is retried with backoff up to the retry
/// policy's limit, always verifying first. When a step gives up before the repoint, the run
/// gives DM back its old upstream if that one answers (resume what it paused, start what it
/// stopped) and otherwise leaves the tasks paused; after the repoint (the repoint step itself
/// included) it only goes forward. Either way the supervisor holds the group.
///
/// A run rebuilt from the journal (`init(resuming:settings:)`) continues where the journal left
/// off; an intent without an outcome is verified against DM like any step, never repeated
/// blindly. Transitions are the rows of `RunTransition.table`; `trace` records those taken.
public struct RunMachine: Sendable {
    public let header: RunHeader
    let settings: GroupSettings
    let context: StepContext

    public private(set) var phase: RunPhase = .starting
    /// True once the run gives DM back its old upstream (the restore steps).
    public internal(set) var restoring = false
    /// The current step's index in the forward steps, or in the restore steps.
    public internal(set) var index = 0
    public internal(set) var attempt = 1
    public private(set) var outcome: RunOutcome?
    /// Every transition taken, for tests and `status`.
    public private(set) var trace: [RunTransition.Key] = []

    /// Forward steps whose intent was written: an abort undoes exactly these.
    var performed: Set<Int> = []
    /// Set when the run gives up before the repoint.
    var aborting: UnfinishedRun.Aborting?
    /// The first per-task failure after the repoint (the run still went on).
    var failureAfterRepoint: RunFailure?
    var restoreFailures: [String] = []
    var outstanding: (id: RequestID, deadline: Instant)?
    var wakeAt: Instant?
    var catchUpSince: Instant?
    var sequence: UInt64 = 0
    var resumePoint: ResumePoint = .fresh

    /// A new run; `start` journals its header.
    public init(header: RunHeader, settings: GroupSettings) {
        self.header = header
        self.settings = settings
        self.context = StepContext(plan: header.plan, settings: settings, kind: header.kind)
    }

    public var isFinished: Bool { phase == .finished }

    /// The steps of the current stage.
    public var steps: [StepKind] { restoring ? aborting?.restoreSteps ?? [] : header.steps }

    /// The step being worked on, if any.
    public var currentStep: StepKind? { index < steps.count && !isFinished ? steps[index] : nil }

    /// When the machine next needs `tick`: a retry, a catch-up look, or a request's deadline.
    public var nextWakeUp: Instant? {
        [wakeAt, outstanding?.deadline].compactMap { $0 }.min()
    }

    // MARK: - Events

    /// Starts (or, for a resumed run, continues) the run.
    public mutating func start(at now: Instant) -> [RunAction] {
        guard phase == .starting else { return [] }
        switch resumePoint {
        case .fresh:
            let started = decision(.notice, "run-started", "\(header.kind.rawValue.capitalizedFirst) \(header.id) from \(header.from) to \(header.to) starts (\(header.runbook.rawValue) runbook, \(header.steps.count) steps): \(header.reason)")
            return [.persist(.runStarted(header)), .log(started)] + enterStep(on: .start, at: now)
        case .step(let pendingIntent):
            var actions: [RunAction] = [.log(decision(.notice, "run-resumed", "Run \(header.id) continues after a restart at \(position)."))]
            if pendingIntent, let step = currentStep {
                actions.append(.log(decision(.notice, "unfinished-step", step: step, "\(position.capitalizedFirst) has an intent without an outcome: verifying DM's state before deciding to redo or skip it.")))
            }
            return actions + enterStep(on: .start, at: now)
        case .oldUpstream:
            return [.log(decision(.notice, "run-resumed", "Run \(header.id) continues after a restart while aborting before the repoint."))] + askOldUpstream(on: .start, at: now)
        case .abort(let failure):
            return abortBeforeRepoint(failure, on: .start, at: now)
        case .stop(let failure):
            return finish(.failedAfterRepoint(failure), on: .start, at: now)
        }
    }

    /// The shell observed what `gather` asked for.
    public mutating func evidenceGathered(_ evidence: Evidence, for request: RequestID, at now: Instant) -> [RunAction] {
        guard accept(request) else { return [] }
        switch phase {
        case .verifyingPrecondition: return preconditionObserved(evidence, at: now)
        case .verifyingEffect: return currentStep?.isGTIDCheck == true ? judgeCheck(evidence, at: now) : effectObserved(evidence, at: now)
        case .checkingOldUpstream: return oldUpstreamObserved(evidence, at: now)
        default: return []
        }
    }

    /// The shell performed (or failed to perform) the step `execute` asked for.
    public mutating func stepFinished(_ result: StepResult, for request: RequestID, at now: Instant) -> [RunAction] {
        guard phase == .executing, accept(request), let step = currentStep else { return [] }
        switch result {
        case .succeeded:
            move(to: .verifyingEffect, on: .stepSucceeded)
            return gather(context.evidence(for: step), at: now)
        case .failed(let error):
            return attemptFailed(error, at: now)
        }
    }

    /// Time passed: retries and catch-up looks fall due, unanswered requests time out.
    public mutating func tick(at now: Instant) -> [RunAction] {
        if let pending = outstanding, now >= pending.deadline {
            outstanding = nil
            let why = "No answer within the step timeout of \(settings.stepTimeout.sentenceText)."
            if phase == .checkingOldUpstream { return oldUpstreamUnhealthy(why, at: now) }
            return attemptFailed(why, at: now)
        }
        guard let due = wakeAt, now >= due else { return [] }
        wakeAt = nil
        switch phase {
        case .waitingToRetry:
            attempt += 1
            return enterStep(on: .retryDue, at: now)
        case .waitingForCatchUp:
            move(to: .verifyingEffect, on: .catchUpDue)
            return gather(context.evidence(for: currentStep ?? .check), at: now)
        default:
            return []
        }
    }

    /// A `.persist` failed: no further step may be taken (write-ahead), so the run stops where
    /// it is and says what it left behind. Nothing is journaled (the journal is what failed).
    public mutating func journalFailed(_ reason: String, at now: Instant) -> [RunAction] {
        guard phase != .finished, phase != .starting else { return [] }
        let failure = RunFailure.journalUnavailable(reason)
        let result: RunOutcome
        if restoring, let aborting {
            result = .abortedBeforeRepoint(aborting.failure, dm: .restoreFailed(failure.sentence))
        } else if mayHaveRepointed {
            result = .failedAfterRepoint(failure)
        } else {
            result = .abortedBeforeRepoint(failure, dm: performed.isEmpty ? .untouched : .leftPaused(failure.sentence))
        }
        outstanding = nil
        wakeAt = nil
        move(to: .finished, on: .journalFailed)
        outcome = result
        return [.log(decision(.error, "run-\(result.code)", result.sentence(header)))]
    }

    // MARK: - Step flow

    /// Enters the current step (or finishes after the last one).
    mutating func enterStep(on event: RunEvent, at now: Instant) -> [RunAction] {
        guard let step = currentStep else { return finishAfterLastStep(on: event, at: now) }
        if step.isReadOnly {
            move(to: .verifyingEffect, on: event)
            return [.persist(.stepIntent(record(step, at: now))), .log(decision(.info, "step-intent", step: step, "\(position.capitalizedFirst): \(step.sentence)"))]
                + gather(context.evidence(for: step), at: now)
        }
        move(to: .verifyingPrecondition, on: event)
        return gather(context.evidence(for: step), at: now)
    }

    private mutating func preconditionObserved(_ evidence: Evidence, at now: Instant) -> [RunAction] {
        guard let step = currentStep else { return [] }
        switch context.alreadyDone(step, evidence) {
        case .holds:
            let skipped = decision(.notice, "step-already-done", step: step, "\(position.capitalizedFirst) is already done, so it is not performed again: \(step.sentence)")
            return [.persist(.stepOutcome(record(step, at: now), .alreadyDone, detail: "")), .log(skipped)] + advance(on: .alreadyDone, at: now)
        case .unknown(let why):
            return attemptFailed(why, at: now)
        case .missing:
            if !restoring { performed.insert(index) }
            move(to: .executing, on: .notDone)
            let id = nextRequest()
            let deadline = now + settings.stepTimeout
            outstanding = (id, deadline)
            return [
                .persist(.stepIntent(record(step, at: now))),
                .log(decision(.info, "step-intent", step: step, "\(position.capitalizedFirst): \(step.sentence)")),
                .execute(id, step, deadline: deadline),
            ]
        }
    }

    private mutating func effectObserved(_ evidence: Evidence, at now: Instant) -> [RunAction] {
        guard let step = currentStep else { return [] }
        switch context.effect(step, evidence) {
        case .holds:
            let done = decision(.info, "step-succeeded", step: step, "\(position.capitalizedFirst) succeeded: \(step.sentence)")
            return [.persist(.stepOutcome(record(step, at: now), .succeeded, detail: context.detail(step, evidence))), .log(done)]
                + advance(on: .effectHolds, at: now)
        case .missing(let why), .unknown(let why):
            return attemptFailed(why, at: now)
        }
    }

    /// The check and the re-check: the selector, targeted at the run's candidate.
    private mutating func judgeCheck(_ evidence: Evidence, at now: Instant) -> [RunAction] {
        guard let step = currentStep else { return [] }
        guard let dm = evidence.dmStatus else { return attemptFailed(context.notGathered("DM's status", evidence), at: now) }
        let input = SelectionInput(
            settings: settings, upstream: header.from, dm: dm, observations: evidence.instances,
            catchUpSince: catchUpSince.map { [header.to: $0] } ?? [:], now: now)
        let selection = Selector.select(input, target: header.to)
        switch selection.decision {
        case .chosen:
            let identity = selection.verdict(of: header.to)?.serverIdentity ?? ""
            guard identity == header.toIdentity else {
                return refuse("\(header.to) now answers with server identity \(identity), not \(header.toIdentity) as when it was chosen.", at: now)
            }
            catchUpSince = nil
            let passed = decision(.notice, "check-passed", step: step, "\(position.capitalizedFirst) passed: \(selection.verdict(of: header.to)?.sentence ?? selection.sentence)")
            return [.persist(.stepOutcome(record(step, at: now), .succeeded, detail: selection.sentence)), .log(passed)]
                + advance(on: .checkPassed, at: now)
        case .waitForCatchUp(_, let until):
            wakeAt = min(until, now + settings.detection.probeInterval)
            move(to: .waitingForCatchUp, on: .checkWaits)
            guard catchUpSince == nil else { return [] }
            catchUpSince = now
            let waiting = decision(.notice, "waiting-for-catch-up", step: step, selection.sentence)
            return [.persist(.decision(waiting, at: now)), .log(waiting)]
        case .noEligibleCandidate, .groupBlocked, .targetRefused, .targetUnknown:
            return refuse(selection.sentence, at: now)
        }
    }

    private mutating func refuse(_ verdict: String, at now: Instant) -> [RunAction] {
        guard let step = currentStep else { return [] }
        let failure = RunFailure.checkRefused(step: step.name, verdict: verdict)
        let refused = decision(.warning, "check-refused", step: step, failure.sentence)
        return [.persist(.stepOutcome(record(step, at: now), .refused(verdict), detail: "")), .log(refused)]
            + abortBeforeRepoint(failure, on: .checkRefused, at: now)
    }

    private mutating func attemptFailed(_ reason: String, at now: Instant) -> [RunAction] {
        guard let step = currentStep else { return [] }
        outstanding = nil
        if attempt < settings.retry.maxAttempts {
            let retryAt = now + settings.retry.backoff(afterAttempt: attempt)
            wakeAt = retryAt
            move(to: .waitingToRetry, on: .attemptFailed)
            let failed = decision(.warning, "step-failed", step: step, "\(position.capitalizedFirst) failed (attempt \(attempt) of \(settings.retry.maxAttempts)): \(reason) Retrying at \(retryAt).")
            return [.persist(.stepOutcome(record(step, at: now), .failed(reason, retryAt: retryAt), detail: "")), .log(failed)]
        }
        let gaveUp = decision(.error, "step-gave-up", step: step, "\(position.capitalizedFirst) failed on all \(attempt) attempts: \(reason)")
        return [.persist(.stepOutcome(record(step, at: now), .failed(reason, retryAt: nil), detail: "")), .log(gaveUp)]
            + retriesExhausted(.stepFailed(step: step.name, attempts: attempt, error: reason), at: now)
    }

    /// The failure policy for a step that gave up.
    mutating func retriesExhausted(_ failure: RunFailure, at now: Instant) -> [RunAction] {
        if restoring {
            restoreFailures.append(failure.sentence)
            return advance(on: .retriesExhausted, at: now)
        }
        guard mayHaveRepointed else { return abortBeforeRepoint(failure, on: .retriesExhausted, at: now) }
        if currentStep?.failureStopsRunAfterRepoint ?? true {
            return finish(.failedAfterRepoint(failureAfterRepoint ?? failure), on: .retriesExhausted, at: now)
        }
        if failureAfterRepoint == nil { failureAfterRepoint = failure }
        return advance(on: .retriesExhausted, at: now)
    }

    private mutating func advance(on event: RunEvent, at now: Instant) -> [RunAction] {
        index += 1
        attempt = 1
        return enterStep(on: event, at: now)
    }

    // MARK: - Aborting before the repoint

    /// Gives up before the repoint: undo what this run did if the old upstream can take DM
    /// back, otherwise leave the tasks paused.
    mutating func abortBeforeRepoint(_ failure: RunFailure, on event: RunEvent, at now: Instant) -> [RunAction] {
        let undo = Self.restoreSteps(undoing: performed.sorted().compactMap { $0 < header.steps.count ? header.steps[$0] : nil }, tasks: header.tasks)
        guard !undo.isEmpty else { return finish(.abortedBeforeRepoint(failure, dm: .untouched), on: event, at: now) }
        aborting = UnfinishedRun.Aborting(failure: failure, restoreSteps: undo)
        let giving = decision(.warning, "run-aborting", "Run \(header.id) gives up before the repoint: \(failure.sentence) Asking whether the old upstream \(header.from) answers before giving the tasks back.")
        return [.persist(.runAborting(run: header.id, failure: failure, restoreSteps: undo, at: now)), .log(giving)]
            + askOldUpstream(on: event, at: now)
    }

    /// The steps that undo `done` (in the order it was done): in reverse order, so a stopped
    /// task is started before anything resumes it, except that the relay is resumed first
    /// because the tasks read from it (dm-interface.md §6.3 resumes relay before the tasks).
    static func restoreSteps(undoing done: [StepKind], tasks: [TaskSpec]) -> [StepKind] {
        let files = Dictionary(tasks.map { ($0.name, $0.file) }, uniquingKeysWith: { first, _ in first })
        let undo = done.reversed().compactMap { $0.undo(files: files) }
        return undo.filter { $0 == .resumeRelay } + undo.filter { $0 != .resumeRelay }
    }

    private mutating func askOldUpstream(on event: RunEvent, at now: Instant) -> [RunAction] {
        move(to: .checkingOldUpstream, on: event)
        return gather(EvidenceRequest(instances: [header.from]), at: now)
    }

    private mutating func oldUpstreamObserved(_ evidence: Evidence, at now: Instant) -> [RunAction] {
        let observation = evidence.observation(of: header.from)
        guard observation?.state != nil else {
            let why = observation?.failure.map { "\($0)." } ?? context.notGathered("Its state", evidence)
            return oldUpstreamUnhealthy(why, at: now)
        }
        restoring = true
        index = 0
        attempt = 1
        let back = decision(.notice, "restoring", "The old upstream \(header.from) answers: run \(header.id) resumes what it paused and starts what it stopped.")
        return [.log(back)] + enterStep(on: .oldUpstreamHealthy, at: now)
    }

    private mutating func oldUpstreamUnhealthy(_ why: String, at now: Instant) -> [RunAction] {
        let failure = aborting?.failure ?? .stepFailed(step: "abort", attempts: 1, error: why)
        return finish(.abortedBeforeRepoint(failure, dm: .leftPaused(why)), on: .oldUpstreamUnhealthy, at: now)
    }

    // MARK: - Finishing

    private mutating func finishAfterLastStep(on event: RunEvent, at now: Instant) -> [RunAction] {
        if restoring, let aborting {
            let dm: DMRestoration = restoreFailures.isEmpty ? .restored : .restoreFailed(restoreFailures.joined(separator: " "))
            return finish(.abortedBeforeRepoint(aborting.failure, dm: dm), on: event, at: now)
        }
        return finish(failureAfterRepoint.map { .failedAfterRepoint($0) } ?? .completed, on: event, at: now)
    }

    private mutating func finish(_ result: RunOutcome, on event: RunEvent, at now: Instant) -> [RunAction] {
        outstanding = nil
        wakeAt = nil
        move(to: .finished, on: event)
        outcome = result
        let severity: Decision.Severity = result == .completed ? .notice : .error
        return [.persist(.runFinished(run: header.id, outcome: result, at: now)), .log(decision(severity, "run-\(result.code)", result.sentence(header)))]
    }

    // MARK: - Helpers

    /// True when DM may already read from the new upstream: past the repoint step, or its
    /// intent was written (its hook or command may have run, so where DM points is not known).
    var mayHaveRepointed: Bool {
        !restoring && (index > header.repointIndex || performed.contains(header.repointIndex))
    }

    /// "step 3 of 9 (pause-task)", "restore step 1 of 2 (resume-task)".
    var position: String {
        let name = currentStep?.name ?? "none"
        return "\(restoring ? "restore step" : "step") \(index + 1) of \(steps.count) (\(name))"
    }

    private mutating func move(to next: RunPhase, on event: RunEvent) {
        trace.append(RunTransition.Key(from: phase, on: event, to: next))
        phase = next
    }

    private mutating func gather(_ request: EvidenceRequest, at now: Instant) -> [RunAction] {
        let id = nextRequest()
        let deadline = now + settings.stepTimeout
        outstanding = (id, deadline)
        return [.gather(id, request, deadline: deadline)]
    }

    private mutating func nextRequest() -> RequestID {
        sequence += 1
        return RequestID(run: header.id, sequence: sequence)
    }

    /// Accepts the answer to the outstanding request only; late or unknown answers are ignored.
    private mutating func accept(_ request: RequestID) -> Bool {
        guard outstanding?.id == request else { return false }
        outstanding = nil
        return true
    }

    private func record(_ step: StepKind, at now: Instant) -> StepRecord {
        StepRecord(run: header.id, stage: restoring ? .restore : .forward, index: index, step: step, attempt: attempt, at: now)
    }

    private func decision(_ severity: Decision.Severity, _ code: String, step: StepKind? = nil, _ sentence: String) -> Decision {
        Decision(severity, code: code, group: header.group, run: header.id, step: step?.name, sentence)
    }
}
