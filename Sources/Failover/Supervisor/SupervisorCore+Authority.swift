/// Several DM hosts: which daemon acts for each group, and the holds every daemon shares.
///
/// The shell learns from the coordination service (etcd) who holds each group's lease and
/// tells the core through `authorityChanged`; holds placed through any daemon reach every
/// daemon through `holdsChanged`. Without a coordination service neither is ever called and
/// every group acts, as on a single host.
extension SupervisorCore {
    /// Called before `start` when a coordination service is configured: no group acts until
    /// the shell reports who holds its lease.
    public mutating func awaitAuthority(_ reason: String) {
        coordination = reason
        for index in groups.indices { groups[index].authority = .unknown(reason: reason) }
    }

    /// Whether this daemon acts for `group`; nil for a group that is not configured.
    public func authority(of group: String) -> GroupAuthority? {
        index(of: group).map { groups[$0].authority }
    }

    /// The run in progress for `group`, if any.
    public func runID(of group: String) -> RunID? {
        index(of: group).flatMap { groups[$0].run?.header.id }
    }

    /// Who acts for `group` changed (or was confirmed with a fresh journal).
    ///
    /// Becoming `.acting` with `journal` (the group's shared journal, replayed) rebuilds the
    /// group as after a restart: its cooldown and upstream from the journal, and an unfinished
    /// run continued from its last completed step, verifying DM first (`RunMachine(resuming:)`).
    /// Losing it stops a run in progress where it is, without journaling anything (the
    /// journal is what this daemon may no longer write): the daemon acting next continues it.
    public mutating func authorityChanged(group name: String, to authority: GroupAuthority, journal: ReplayedState?, at now: Instant) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        guard let index = index(of: name) else { return [] }
        let before = groups[index].authority
        groups[index].authority = authority
        groups[index].lastBlockCode = nil
        var actions: [SupervisorAction] = []
        if authority.isActing {
            if before != authority {
                actions.append(.log(Decision(.notice, code: "acting", group: name, "This dmswitchd now acts for group \(name): it holds the group's lease.")))
            }
            if let journal { actions += takeOver(index, journal, at: now) }
        } else {
            actions += stepDown(index, because: authority, at: now)
            if before != authority {
                let severity: Decision.Severity = authority.code == "observing" ? .info : .warning
                actions.append(.log(Decision(severity, code: authority.code, group: name, "Group \(name): \(authority.refusal ?? "")")))
            }
        }
        return actions + evaluate(index, at: now)
    }

    /// The holds every daemon shares changed (the coordination service's view, complete).
    /// A hold this daemon placed because its own journal failed stays: it is about this daemon.
    public mutating func holdsChanged(_ shared: [Hold], at now: Instant) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        let local = journalBroken == nil ? [] : holds.filter { $0.scope == .global && $0.kind == .safety && $0.owner == "dmswitchd" }
        let added = shared.filter { !holds.contains($0) }
        let lifted = holds.filter { !shared.contains($0) && !local.contains($0) }
        guard !added.isEmpty || !lifted.isEmpty else { return [] }
        holds = shared + local.filter { !shared.contains($0) }
        var actions = added.map { hold in
            SupervisorAction.log(Decision(.notice, code: "hold-shared", group: hold.scope.groupName, "\(hold.sentence) (shared by every dmswitchd)"))
        }
        actions += lifted.map { hold in
            SupervisorAction.log(Decision(.notice, code: "hold-lifted", group: hold.scope.groupName, "The hold on \(hold.scope) by \(hold.owner) was lifted: \(hold.reason)"))
        }
        for index in groups.indices {
            groups[index].lastBlockCode = nil
            actions += evaluate(index, at: now)
        }
        return actions
    }

    /// The cooldown the acting daemon shares for `group`, seen by a daemon that does not act
    /// for it: so that `status` says the same on every host. The acting daemon keeps its own
    /// (it wrote it); a daemon that takes over reads it from the journal.
    public mutating func cooldownShared(group name: String, _ cooldown: Cooldown?, at now: Instant) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        guard let index = index(of: name), !groups[index].authority.isActing else { return [] }
        groups[index].cooldown = cooldown
        return []
    }

    /// Why `command` must be given to another daemon, or nil when this one acts for the group.
    func authorityRefusal(_ index: Int, command: String) -> String? {
        guard let refusal = groups[index].authority.refusal else { return nil }
        if case .observing(let owner) = groups[index].authority {
            return "\(refusal) Run `\(command)` on host \(owner)."
        }
        return refusal
    }

    // MARK: - Transitions

    /// Rebuilds the group from its shared journal, as a restarted daemon does from its own.
    private mutating func takeOver(_ index: Int, _ journal: ReplayedState, at now: Instant) -> [SupervisorAction] {
        let name = groups[index].name
        var actions = journal.notes.map { SupervisorAction.log(Decision(.warning, code: "journal-note", group: name, $0)) }
        groups[index].cooldown = journal.cooldowns[name]
        if let upstream = journal.upstreams[name], let spec = groups[index].settings.instance(upstream) {
            groups[index].upstream = spec.address
        }
        guard groups[index].run == nil else { return actions }
        let unfinished = journal.unfinishedRuns.filter { $0.header.group == name }
        for extra in unfinished.dropFirst() {
            actions.append(.log(Decision(.warning, code: "journal-note", group: name, "Run \(extra.header.id) of group \(name) did not finish either; only the first unfinished run is continued.")))
        }
        guard let first = unfinished.first else { return actions }
        if let command = groups[index].pending?.command {
            actions.append(.reply(command, .refused("The switchover was not started: run \(first.header.id) of group \(name) did not finish and continues first.")))
        }
        groups[index].pending = nil
        groups[index].upstream = groups[index].settings.instance(first.header.from)?.address ?? groups[index].upstream
        var run = RunMachine(resuming: first, settings: groups[index].settings)
        actions.append(.log(Decision(.notice, code: "run-taken-over", group: name, run: first.header.id, "Run \(first.header.id) of group \(name) did not finish under the daemon that acted before: this one continues it from the shared journal, verifying DM first.")))
        actions += wrap(index, run.start(at: now))
        groups[index].run = run
        return actions + afterRunEvent(index, at: now)
    }

    /// This daemon no longer acts for the group: no further step, no pending decision.
    private mutating func stepDown(_ index: Int, because authority: GroupAuthority, at now: Instant) -> [SupervisorAction] {
        let name = groups[index].name
        var actions: [SupervisorAction] = []
        if let command = groups[index].pending?.command {
            actions.append(.reply(command, .refused("The switchover was not started: \(authority.refusal ?? "")")))
        }
        groups[index].pending = nil
        if let status = groups[index].runStatus {
            let stage = status.restoring ? "restore step" : "step"
            let position = "\(stage) \(status.step) of \(status.steps)\(status.stepName.map { " (\($0))" } ?? "")"
            let why = authority.refusal ?? ""
            actions.append(.log(Decision(.warning, code: "run-handed-over", group: name, run: status.id,
                "Run \(status.id) stops at \(position) and takes no further step: \(why) The daemon that acts next continues it from the shared journal.")))
            groups[index].run = nil
        }
        return actions
    }
}

extension GroupSupervisor.PendingDecision {
    /// The operator command waiting for this decision's reply, if any.
    var command: CommandID? {
        switch self {
        case .switchover(_, _, let command), .switchoverProbing(_, _, let command): command
        case .failover: nil
        }
    }
}
