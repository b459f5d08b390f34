/// Detection verdicts, the failover decision, runs and the holds they leave.
extension SupervisorCore {
    /// Re-judges a group after anything changed: logs a changed verdict, and starts the
    /// failover decision when the upstream is down and no gate stops an automatic run.
    mutating func evaluate(_ index: Int, at now: Instant) -> [SupervisorAction] {
        var actions = learnUpstream(index, at: now)
        let group = groups[index]
        let verdict = group.verdict
        if verdict.code != group.lastVerdictCode {
            groups[index].lastVerdictCode = verdict.code
            let severity: Decision.Severity = verdict.isDown || verdict == .unreachableFromHere ? .warning : (verdict.code == "upstream-healthy" ? .info : .notice)
            let decision = Decision(severity, code: verdict.code, group: group.name, verdict.sentence)
            actions += persist(.decision(decision, at: now)) + [.log(decision)]
        }
        guard group.run == nil, group.pending == nil, verdict.isDown else {
            if !verdict.isDown { groups[index].lastBlockCode = nil }
            return actions
        }
        let block = GroupPolicy.automaticRunBlock(
            group: group.name, automatic: group.settings.automatic, grace: group.detector.startupGrace, holds: holds,
            cooldown: group.cooldown, authority: group.authority, at: now)
        if let block {
            if block.code != group.lastBlockCode {
                groups[index].lastBlockCode = block.code
                let decision = Decision(.warning, code: "failover-blocked", group: group.name, "No automatic failover starts: \(block.sentence)")
                actions += persist(.decision(decision, at: now)) + [.log(decision)]
            }
            return actions
        }
        groups[index].lastBlockCode = nil
        groups[index].pending = .failover(retryAt: nil)
        actions.append(.log(Decision(.notice, code: "failover-deciding", group: group.name, "Reading DM's checkpoints to choose a candidate.")))
        return actions + queryDM(index, at: now)
    }

    /// Learns which instance DM reads from, while no run is changing it.
    mutating func learnUpstream(_ index: Int, at now: Instant) -> [SupervisorAction] {
        let group = groups[index]
        guard group.run == nil, let pointed = group.pointedUpstream, pointed.instance != group.upstream else { return [] }
        groups[index].upstream = pointed.instance
        let decision = Decision(.notice, code: "upstream-learned", group: group.name, "The upstream of group \(group.name) is \(pointed.instance): \(pointed.via).")
        return persist(.upstreamLearned(group: group.name, instance: pointed.instance, at: now)) + [.log(decision)]
    }

    /// Asks for DM's status, unless a query is already out (its answer will serve).
    mutating func queryDM(_ index: Int, at now: Instant) -> [SupervisorAction] {
        if case .failover = groups[index].pending { groups[index].pending = .failover(retryAt: nil) }
        guard groups[index].dmQuery == nil else { return [] }
        groups[index].dmSequence += 1
        groups[index].dmQuery = .init(sequence: groups[index].dmSequence, deadline: now + groups[index].settings.stepTimeout)
        groups[index].nextDMQuery = now + groups[index].settings.dmStatusInterval
        return [.queryDM(DMQueryTicket(group: groups[index].name, sequence: groups[index].dmSequence))]
    }

    /// DM answered (or did not): keep the status, then serve a pending decision.
    mutating func dmAnswered(_ index: Int, _ result: DMQueryResult, at now: Instant) -> [SupervisorAction] {
        var actions: [SupervisorAction] = []
        let name = groups[index].name
        switch result {
        case .status(let status):
            groups[index].dm = status
            groups[index].dmAt = now
            groups[index].lastDMFailure = nil
            actions += learnUpstream(index, at: now)
        case .failed(let why):
            if why != groups[index].lastDMFailure {
                groups[index].lastDMFailure = why
                actions.append(.log(Decision(.warning, code: "dm-status-failed", group: name, "DM's status could not be read: \(why)")))
            }
        }
        actions += checksDMAnswered(index, result, at: now)
        switch (groups[index].pending, result) {
        case (.failover, .status(let status)):
            groups[index].pending = nil
            actions += decideFailover(index, dm: status, at: now)
        case (.failover, .failed):
            groups[index].pending = .failover(retryAt: now + groups[index].settings.detection.probeInterval)
        case (.switchover(let to, let by, let command), .status(let status)):
            // The target's last probe may be up to an interval old while DM's checkpoint is
            // fresh: under writes it would always seem to lack what DM has. Judge it on a probe
            // that starts now, after the checkpoint was read (a replica only moves forward).
            if let ticket = groups[index].schedule.probeNow(ProbeTarget(group: name, address: to), at: now) {
                groups[index].pending = .switchoverProbing(to: to, by: by, command: command)
                actions.append(.probe(ticket, timeout: groups[index].settings.detection.probeTimeout))
            } else {
                groups[index].pending = nil
                actions += decideSwitchover(index, to: to, by: by, command: command, dm: status, at: now)
            }
        case (.switchover(_, _, let command), .failed(let why)):
            groups[index].pending = nil
            actions.append(.reply(command, .refused("The switchover was not started: DM's status could not be read: \(why)")))
        case (.switchoverProbing, _), (nil, _):
            break
        }
        return actions
    }

    /// A switchover waiting for its target's fresh probe decides once the probe reported (or
    /// timed out: then the target's verdict says it does not answer).
    mutating func switchoverTargetProbed(_ target: ProbeTarget, in index: Int, at now: Instant) -> [SupervisorAction] {
        guard !target.throughVIP, case .switchoverProbing(let to, let by, let command) = groups[index].pending, to == target.address else { return [] }
        groups[index].pending = nil
        guard let dm = groups[index].dm else {
            return [.reply(command, .refused("The switchover was not started: DM's status of group \(groups[index].name) is no longer known."))]
        }
        return decideSwitchover(index, to: to, by: by, command: command, dm: dm, at: now)
    }

    /// The upstream is down and DM's checkpoints are fresh: choose, start the run, or hold.
    private mutating func decideFailover(_ index: Int, dm: DMStatus, at now: Instant) -> [SupervisorAction] {
        let group = groups[index]
        let verdict = group.verdict
        guard verdict.isDown, let from = group.upstream,
              GroupPolicy.automaticRunBlock(group: group.name, automatic: group.settings.automatic, grace: group.detector.startupGrace,
                                            holds: holds, cooldown: group.cooldown, authority: group.authority, at: now) == nil
        else { return evaluate(index, at: now) }
        let selection = Selector.select(group.selectionInput(dm: dm, at: now))
        var actions = logSelection(selection, group: group.name, at: now)
        switch selection.decision {
        case .chosen(let to, _), .waitForCatchUp(let to, _):
            let identity = selection.verdict(of: to)?.serverIdentity ?? ""
            actions += startRun(index, .failover, from: from, to: to, identity: identity, dm: dm, reason: "\(verdict.sentence) \(selection.decision.sentence)", by: nil, at: now)
        case .noEligibleCandidate, .groupBlocked, .targetRefused, .targetUnknown:
            actions += placeHold(.group(group.name), .automatic, reason: "No failover: \(selection.sentence)", at: now)
        }
        return actions
    }

    /// An operator's switchover, with fresh checkpoints: the same checks as a failover, for
    /// the requested target.
    private mutating func decideSwitchover(_ index: Int, to: InstanceAddress, by: String, command: CommandID, dm: DMStatus, at now: Instant) -> [SupervisorAction] {
        let group = groups[index]
        if let refusal = authorityRefusal(index, command: "switchover") { return [.reply(command, .refused(refusal))] }
        if let refusal = GroupPolicy.switchoverRefusal(
            group: group.name, target: to, settings: group.settings, upstream: group.upstream, runInProgress: group.run?.header.id, holds: holds, at: now) {
            return refuseSwitchover(group: group.name, to: to, by: by, refusal, command: command)
        }
        guard let from = group.upstream else {
            return refuseSwitchover(group: group.name, to: to, by: by, "The upstream of group \(group.name) is not known yet.", command: command)
        }
        let selection = Selector.select(group.selectionInput(dm: dm, at: now), target: to)
        var actions = logSelection(selection, group: group.name, at: now)
        switch selection.decision {
        case .chosen, .waitForCatchUp:
            let identity = selection.verdict(of: to)?.serverIdentity ?? ""
            actions += startRun(index, .switchover, from: from, to: to, identity: identity, dm: dm, reason: "Switchover requested by \(by). \(selection.decision.sentence)", by: by, at: now)
            if let run = groups[index].run {
                actions.append(.reply(command, .runStarted(run.header.id, "Switchover \(run.header.id) from \(from) to \(to) started.")))
            }
        case .noEligibleCandidate, .groupBlocked, .targetRefused, .targetUnknown:
            actions.append(.reply(command, .refused("The switchover was refused. \(selection.sentence)")))
        }
        return actions
    }

    /// One decision line for the selection, one info line per candidate reason. A chosen
    /// candidate is a notice; a refusal (no eligible candidate, the target refused) a warning.
    private func logSelection(_ selection: Selection, group: String, at now: Instant) -> [SupervisorAction] {
        let severity: Decision.Severity
        switch selection.decision {
        case .chosen, .waitForCatchUp: severity = .notice
        case .noEligibleCandidate, .groupBlocked, .targetRefused, .targetUnknown: severity = .warning
        }
        let decision = Decision(severity, code: selection.decision.code, group: group, selection.sentence)
        let reasons = selection.verdicts.flatMap(\.sentences).map { SupervisorAction.log(Decision(.info, code: "candidate-verdict", group: group, $0)) }
        return persist(.decision(decision, at: now)) + [.log(decision)] + reasons
    }

    // MARK: - Runs

    private mutating func startRun(
        _ index: Int, _ kind: RunKind, from: InstanceAddress, to: InstanceAddress, identity: String, dm: DMStatus, reason: String,
        by: String?, at now: Instant
    ) -> [SupervisorAction] {
        let settings = groups[index].settings
        runCounter += 1
        let id = RunID("\(runIDPrefix)-\(runCounter)")
        let tasks = dm.tasks.map { task in TaskSpec(name: task.name, file: settings.tasks.first { $0.name == task.name }?.file ?? "") }
        let plan = RunbookPlan(from: from, to: to, toIdentity: identity, tasks: tasks)
        let header = RunHeader(
            id: id, group: settings.name, kind: kind, from: from, to: to, toIdentity: identity,
            runbook: Runbook.make(settings.runbook, plan: plan), tasks: tasks, reason: reason, requestedBy: by, startedAt: now)
        var run = RunMachine(header: header, settings: settings)
        let actions = wrap(index, run.start(at: now))
        groups[index].run = run
        let notice = Notice(.runStarted, group: settings.name, run: id, "\(kind.rawValue.capitalizedFirst) \(id) of group \(settings.name) from \(from) to \(to) started: \(reason)")
        return actions + [.notify(notice)] + afterRunEvent(index, at: now)
    }

    /// After any run event: when the run ended, start the cooldown, learn the new upstream or
    /// hold the group, and say so.
    mutating func afterRunEvent(_ index: Int, at now: Instant) -> [SupervisorAction] {
        guard let run = groups[index].run, run.isFinished, let outcome = run.outcome else { return [] }
        let header = run.header
        groups[index].run = nil
        groups[index].lastVerdictCode = nil
        // What DM and the VIP said before or during the run is stale: read them afresh before
        // learning the upstream from them again.
        groups[index].dm = nil
        groups[index].dmAt = nil
        groups[index].vipProbe = nil
        groups[index].nextDMQuery = now
        let cooldown = Cooldown(group: header.group, run: header.id, until: now + groups[index].settings.cooldown)
        groups[index].cooldown = cooldown
        var actions = persist(.cooldownStarted(cooldown, at: now))
        let sentence = outcome.sentence(header)
        switch outcome {
        case .completed:
            groups[index].upstream = header.to
            actions += persist(.upstreamLearned(group: header.group, instance: header.to, at: now))
            actions.append(.notify(Notice(.runCompleted, group: header.group, run: header.id, sentence)))
        case .abortedBeforeRepoint(let failure, let dm):
            // DM is where a runbook can start from (untouched, restored, or paused on the old
            // upstream) unless the restore failed or the journal broke: then a safety hold.
            var safe = true
            if case .journalUnavailable = failure { safe = false }
            if case .restoreFailed = dm { safe = false }
            actions.append(.notify(Notice(.runFailed, group: header.group, run: header.id, sentence)))
            actions += placeHold(.group(header.group), safe ? .automatic : .safety, reason: sentence, at: now)
        case .failedAfterRepoint:
            actions.append(.notify(Notice(.runFailed, group: header.group, run: header.id, sentence)))
            actions += placeHold(.group(header.group), .safety, reason: sentence, at: now)
        }
        return actions
    }

    // MARK: - Holds

    /// Places (or replaces) dmswitchd's own hold of `kind` on the scope.
    mutating func placeHold(_ scope: HoldScope, _ kind: HoldKind, reason: String, owner: String = "dmswitchd", until: Instant? = nil, at now: Instant) -> [SupervisorAction] {
        let hold = Hold(scope: scope, kind: kind, reason: reason, owner: owner, placedAt: now, expiresAt: until)
        holds.removeAll { $0.scope == scope && $0.kind == kind }
        holds.append(hold)
        let decision = Decision(.warning, code: "held", group: scope.groupName, hold.sentence)
        var actions = persist(.holdPlaced(hold)) + [.log(decision)]
        if let group = scope.groupName, owner == "dmswitchd" {
            actions.append(.notify(Notice(.groupHeld, group: group, hold.sentence)))
        }
        return actions
    }

    /// Removes holds whose expiry passed, and says so.
    mutating func pruneExpiredHolds(at now: Instant) -> [SupervisorAction] {
        let expired = holds.filter { !$0.isActive(at: now) }
        guard !expired.isEmpty else { return [] }
        holds.removeAll { !$0.isActive(at: now) }
        return expired.flatMap { hold -> [SupervisorAction] in
            let decision = Decision(.notice, code: "hold-expired", group: hold.scope.groupName, "The hold on \(hold.scope) by \(hold.owner) expired: \(hold.reason)")
            return persist(.holdReleased(scope: hold.scope, kind: hold.kind, by: "expiry", at: now)) + [.log(decision)]
        }
    }
}
