/// What the journal says the daemon's state was: holds, cooldowns, known upstreams and any
/// run that had not finished. Pure: a fold over the records.
///
/// Every record sets state rather than toggling it, so applying a record twice is harmless; the
/// journal adapter relies on that when a snapshot and the journal overlap after a crash.
public struct ReplayedState: Hashable, Sendable {
    /// At most one hold per scope and kind (a newer one replaces the older).
    public var holds: [Hold] = []
    public var cooldowns: [String: Cooldown] = [:]
    /// The last upstream learned for each group.
    public var upstreams: [String: InstanceAddress] = [:]
    /// Runs with a header and no finish, in the order they started.
    public var unfinishedRuns: [UnfinishedRun] = []
    /// The outcome of every finished run seen, for `history`.
    public var finishedRuns: [RunID: RunOutcome] = [:]
    /// Oddities found while replaying, one sentence each (the daemon logs them).
    public var notes: [String] = []

    public init() {}

    /// Folds `records` in order.
    public static func replay(_ records: [JournalRecord]) -> ReplayedState {
        var state = ReplayedState()
        for record in records { state.apply(record) }
        return state
    }

    /// The holds still active at `now`.
    public func activeHolds(at now: Instant) -> [Hold] {
        holds.filter { $0.isActive(at: now) }
    }

    /// Folds one record in.
    public mutating func apply(_ record: JournalRecord) {
        switch record {
        case .runStarted(let header):
            guard finishedRuns[header.id] == nil else { return }
            if let existing = unfinishedRuns.firstIndex(where: { $0.header.id == header.id }) {
                if unfinishedRuns[existing].header != header {
                    notes.append("Run \(header.id) was started twice with different headers; the first one is kept.")
                }
                return
            }
            unfinishedRuns.append(UnfinishedRun(header: header))
        case .stepIntent(let step):
            updateRun(step.run, record: "a step intent") { run in
                run.setProgress(step.stage, step.index, StepProgress(attempt: step.attempt, result: nil, intended: true))
            }
        case .stepOutcome(let step, let result, _):
            updateRun(step.run, record: "a step outcome") { run in
                let intended = run.progress(step.stage)[step.index]?.intended ?? false
                run.setProgress(step.stage, step.index, StepProgress(attempt: step.attempt, result: result, intended: intended))
            }
        case .runAborting(let id, let failure, let restoreSteps, _):
            updateRun(id, record: "an abort") { run in
                run.aborting = UnfinishedRun.Aborting(failure: failure, restoreSteps: restoreSteps)
            }
        case .runFinished(let id, let outcome, _):
            unfinishedRuns.removeAll { $0.header.id == id }
            finishedRuns[id] = outcome
        case .decision:
            break
        case .holdPlaced(let hold):
            holds.removeAll { $0.scope == hold.scope && $0.kind == hold.kind }
            holds.append(hold)
        case .holdReleased(let scope, let kind, _, _):
            holds.removeAll { $0.scope == scope && (kind == nil || $0.kind == kind) }
        case .cooldownStarted(let cooldown, _):
            cooldowns[cooldown.group] = cooldown
        case .acknowledged(let group, _, _):
            cooldowns[group] = nil
        case .upstreamLearned(let group, let instance, _):
            upstreams[group] = instance
        }
    }

    private mutating func updateRun(_ id: RunID, record: String, _ change: (inout UnfinishedRun) -> Void) {
        guard let position = unfinishedRuns.firstIndex(where: { $0.header.id == id }) else {
            if finishedRuns[id] == nil {
                notes.append("The journal has \(record) for run \(id) without its start; it is ignored.")
            }
            return
        }
        change(&unfinishedRuns[position])
    }
}

extension UnfinishedRun {
    func progress(_ stage: RunStage) -> [Int: StepProgress] {
        stage == .forward ? forward : restore
    }

    mutating func setProgress(_ stage: RunStage, _ index: Int, _ progress: StepProgress) {
        switch stage {
        case .forward: forward[index] = progress
        case .restore: restore[index] = progress
        }
    }
}
