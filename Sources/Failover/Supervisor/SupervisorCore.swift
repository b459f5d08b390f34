/// The whole decision core of dmswitchd: every group's detector, policy and run; pure.
///
/// How a shell drives it. The shell owns I/O and time; the core owns every decision.
///
/// 1. At start, read the journal (`RunJournal`), build `SupervisorCore(groups:replayed:
///    runIDPrefix:at:)` with the replayed state and a prefix unique to this daemon start (e.g.
///    the boot instant), and call `start(at:)`.
/// 2. Perform the returned actions **in order**. `.persist` must be appended and fsynced
///    before anything after it in the same batch; if it fails, skip the rest of the batch and
///    call `journalFailed(_:at:)`. `.log` writes one line (the sentence, then `code=`,
///    `group=`, `run=`, `step=`). `.notify` runs the notification hook. `.reply` answers the
///    control-socket command with that id.
/// 3. Start the I/O the other actions name, each on its own thread (they block): `.probe` an
///    instance (or through the VIP), `.queryDM` for the group's source, `.gather` evidence for
///    a run step, `.execute` a runbook step (its process must be ended by the deadline). When
///    one finishes, call the matching event with the ticket or request id it came with:
///    `probeCompleted`, `dmStatusObserved`, `evidenceGathered`, `stepFinished`. Late answers
///    to abandoned requests are ignored by the core, so the shell need not track them.
/// 4. Hand control-socket commands to `handle(_:id:at:)`; `status(at:)` answers `status`.
/// 5. Sleep until the next event or `nextWakeUp`, then call `tick(at:)` with the current
///    wall-clock time. Every method takes `at:`; the core never reads a clock or sleeps.
///
/// Calls must be serialized (one event at a time, e.g. on one thread or actor); the core is a
/// value, so the shell keeps the only copy.
public struct SupervisorCore: Sendable {
    var groups: [GroupSupervisor]
    /// Every hold, on one group or all.
    public internal(set) var holds: [Hold]
    let runIDPrefix: String
    var runCounter: UInt64 = 0
    /// Set once the journal failed: no further write is attempted and nothing new is started.
    var journalBroken: String?
    /// Sentences to log at start (replay notes, runs of groups no longer configured).
    var startNotes: [String]
    /// The latest instant an event carried, for `nextWakeUp`.
    var lastNow: Instant
    /// Set when a coordination service decides who acts (`awaitAuthority`): a group added by
    /// a reload waits for it too, instead of acting at once.
    var coordination: String?

    public init(groups: [GroupSettings], replayed: ReplayedState, runIDPrefix: String, at now: Instant) {
        var notes = replayed.notes
        var unfinished = replayed.unfinishedRuns
        self.groups = groups.map { settings in
            let index = unfinished.firstIndex { $0.header.group == settings.name }
            let run = index.map { RunMachine(resuming: unfinished.remove(at: $0), settings: settings) }
            return GroupSupervisor(
                settings: settings, upstream: replayed.upstreams[settings.name], cooldown: replayed.cooldowns[settings.name],
                run: run, at: now)
        }
        for run in unfinished {
            notes.append("Run \(run.header.id) of group \(run.header.group) did not finish, and the group is no longer configured: it is not resumed.")
        }
        holds = replayed.holds
        self.runIDPrefix = runIDPrefix
        startNotes = notes
        lastNow = now
    }

    // MARK: - Events

    /// Resumes unfinished runs (verifying DM first) and starts probing.
    public mutating func start(at now: Instant) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        var actions = startNotes.map { SupervisorAction.log(Decision(.warning, code: "journal-note", $0)) }
        startNotes = []
        for index in groups.indices {
            let group = groups[index]
            let upstream = group.upstream.map { "upstream \($0)" } ?? "upstream not known yet"
            actions.append(.log(Decision(.info, code: "watching", group: group.name, "Watching group \(group.name): \(group.settings.instances.count) instances, \(upstream), \(group.settings.runbook.rawValue) runbook.")))
            guard var run = groups[index].run else { continue }
            actions += wrap(index, run.start(at: now))
            groups[index].run = run
            actions += afterRunEvent(index, at: now)
        }
        return actions + tick(at: now)
    }

    /// A probe the core asked for finished.
    public mutating func probeCompleted(_ observation: InstanceObservation, for ticket: ProbeTicket, at now: Instant) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        guard let index = index(of: ticket.target.group), groups[index].schedule.accept(ticket) else { return [] }
        record(observation.outcome, for: ticket.target, in: index, at: now)
        return switchoverTargetProbed(ticket.target, in: index, at: now) + checkTargetProbed(ticket.target, in: index, at: now)
            + evaluate(index, at: now)
    }

    /// A DM status query the core asked for finished.
    public mutating func dmStatusObserved(_ result: DMQueryResult, for ticket: DMQueryTicket, at now: Instant) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        guard let index = index(of: ticket.group), groups[index].dmQuery?.sequence == ticket.sequence else { return [] }
        groups[index].dmQuery = nil
        return dmAnswered(index, result, at: now)
    }

    /// Evidence a run step asked for was gathered.
    public mutating func evidenceGathered(_ evidence: Evidence, for request: RequestID, at now: Instant) -> [SupervisorAction] {
        withRun(request.run, at: now) { run in run.evidenceGathered(evidence, for: request, at: now) }
    }

    /// A runbook step was performed (or failed).
    public mutating func stepFinished(_ result: StepResult, for request: RequestID, at now: Instant) -> [SupervisorAction] {
        withRun(request.run, at: now) { run in run.stepFinished(result, for: request, at: now) }
    }

    /// Time passed: probes and DM queries fall due, unanswered ones time out, holds and
    /// cooldowns lapse, runs retry.
    public mutating func tick(at now: Instant) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        var actions = pruneExpiredHolds(at: now)
        for index in groups.indices {
            for target in groups[index].schedule.expired(at: now) {
                let timeout = groups[index].settings.detection.probeTimeout
                let failure = ProbeFailure(kind: .timedOut, message: "The probe did not report within twice the probe timeout of \(timeout.sentenceText).")
                record(.failed(failure), for: target, in: index, at: now)
                actions += switchoverTargetProbed(target, in: index, at: now) + checkTargetProbed(target, in: index, at: now)
            }
            if let query = groups[index].dmQuery, now >= query.deadline {
                groups[index].dmQuery = nil
                actions += dmAnswered(index, .failed("DM's status was not read within the step timeout of \(groups[index].settings.stepTimeout.sentenceText)."), at: now)
            }
            actions += groups[index].schedule.due(at: now).map { .probe($0, timeout: groups[index].settings.detection.probeTimeout) }
            if groups[index].run == nil, now >= groups[index].nextDMQuery { actions += queryDM(index, at: now) }
            if case .failover(let retryAt?) = groups[index].pending, now >= retryAt { actions += queryDM(index, at: now) }
            if var run = groups[index].run {
                actions += wrap(index, run.tick(at: now))
                groups[index].run = run
                actions += afterRunEvent(index, at: now)
            }
            actions += evaluate(index, at: now)
        }
        return actions + applyDeferredReconfiguration(at: now)
    }

    /// A `.persist` failed. Runs stop where they are (write-ahead is broken), an in-memory
    /// safety hold stops everything new, and no further write is attempted.
    public mutating func journalFailed(_ reason: String, at now: Instant) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        guard journalBroken == nil else { return [] }
        journalBroken = reason
        let hold = Hold(scope: .global, kind: .safety, reason: "The journal cannot be written (\(reason)), so no run may start.", owner: "dmswitchd", placedAt: now)
        holds.append(hold)
        var actions: [SupervisorAction] = [.log(Decision(.error, code: "journal-failed", hold.sentence))]
        for index in groups.indices {
            guard var run = groups[index].run else { continue }
            actions += wrap(index, run.journalFailed(reason, at: now))
            groups[index].run = run
            actions += afterRunEvent(index, at: now)
        }
        return actions + applyDeferredReconfiguration(at: now)
    }

    /// When the core next needs `tick`, if nothing else happens first.
    public var nextWakeUp: Instant? {
        let groupWakeUps = groups.compactMap { $0.nextWakeUp(at: lastNow) }
        return (groupWakeUps + holds.compactMap(\.expiresAt)).min()
    }

    // MARK: - Plumbing

    func index(of group: String) -> Int? {
        groups.firstIndex { $0.name == group }
    }

    /// Folds a probe result into the group: an instance's into the detector, the VIP's as the
    /// VIP's answer.
    private mutating func record(_ outcome: InstanceObservation.Outcome, for target: ProbeTarget, in index: Int, at now: Instant) {
        let observation = InstanceObservation(instance: target.address, outcome: outcome)
        if target.throughVIP {
            groups[index].vipProbe = observation
        } else {
            groups[index].detector.record(observation, at: now)
        }
    }

    /// Runs a machine event for the run with this id, then handles its end.
    private mutating func withRun(_ id: RunID, at now: Instant, _ event: (inout RunMachine) -> [RunAction]) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        guard let index = groups.firstIndex(where: { $0.run?.header.id == id }), var run = groups[index].run else { return [] }
        let actions = wrap(index, event(&run))
        groups[index].run = run
        let ended = afterRunEvent(index, at: now)
        return actions + ended + applyDeferredReconfiguration(at: now)
    }

    /// A run's actions as the supervisor's, with the group named.
    func wrap(_ index: Int, _ actions: [RunAction]) -> [SupervisorAction] {
        let group = groups[index].name
        return actions.compactMap { action in
            switch action {
            case .persist(let record): journalBroken == nil ? .persist(record) : nil
            case .gather(let id, let request, let deadline): .gather(group: group, id, request, deadline: deadline)
            case .execute(let id, let step, let deadline): .execute(group: group, id, step, deadline: deadline)
            case .log(let decision): .log(decision)
            }
        }
    }

    /// A record to persist, unless the journal is known to be broken.
    func persist(_ record: JournalRecord) -> [SupervisorAction] {
        journalBroken == nil ? [.persist(record)] : []
    }
}
