/// Operator commands and `status`.
extension SupervisorCore {
    /// Handles a control-socket command; the reply comes as a `.reply(id, …)` action, now or
    /// (for a switchover, which first reads DM) later.
    public mutating func handle(_ command: OperatorCommand, id: CommandID, at now: Instant) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        switch command {
        case .hold(let scope, let reason, let owner, let until):
            if let refusal = unknownGroup(scope) { return [.reply(id, .refused(refusal))] }
            guard !reason.isBlank else { return [.reply(id, .refused("A hold needs a reason."))] }
            guard !owner.isBlank else { return [.reply(id, .refused("A hold needs an owner."))] }
            if let until, until <= now { return [.reply(id, .refused("The hold's expiry \(until) is not in the future."))] }
            let actions = placeHold(scope, .operator, reason: reason, owner: owner, until: until, at: now)
            let hold = holds.last { $0.scope == scope && $0.kind == .operator }
            return actions + [.reply(id, .done(hold?.sentence ?? "\(scope.description.capitalizedFirst) is held."))]
        case .release(let scope, let by):
            if let refusal = unknownGroup(scope) { return [.reply(id, .refused(refusal))] }
            let released = holds.filter { $0.scope == scope }
            guard !released.isEmpty else { return [.reply(id, .refused("\(scope.description.capitalizedFirst) is not held."))] }
            holds.removeAll { $0.scope == scope }
            let sentence = "\(by) released \(scope): \(released.map(\.reason).joined(separator: " "))"
            let decision = Decision(.notice, code: "released", group: scope.groupName, sentence)
            var actions = persist(.holdReleased(scope: scope, kind: nil, by: by, at: now)) + [.log(decision), .reply(id, .done(sentence))]
            for index in groups.indices { groups[index].lastBlockCode = nil }
            for index in groups.indices { actions += evaluate(index, at: now) }
            return actions
        case .acknowledge(let group, let by):
            guard let index = index(of: group) else { return [.reply(id, .refused("There is no group named \(group)."))] }
            if let refusal = authorityRefusal(index, command: "ack") { return [.reply(id, .refused(refusal))] }
            guard let cooldown = groups[index].cooldown, cooldown.isActive(at: now) else {
                return [.reply(id, .refused("Group \(group) has no cooldown to acknowledge."))]
            }
            groups[index].cooldown = nil
            let sentence = "\(by) acknowledged run \(cooldown.run): group \(group) may fail over automatically again."
            let decision = Decision(.notice, code: "acknowledged", group: group, sentence)
            return persist(.acknowledged(group: group, by: by, at: now)) + [.log(decision), .reply(id, .done(sentence))] + evaluate(index, at: now)
        case .switchover(let group, let to, let by):
            guard let index = index(of: group) else { return [.reply(id, .refused("There is no group named \(group)."))] }
            if let refusal = authorityRefusal(index, command: "switchover") { return [.reply(id, .refused(refusal))] }
            if groups[index].pending != nil {
                return refuseSwitchover(group: group, to: to, by: by, "Group \(group) is already deciding a run; try again in a moment.", command: id)
            }
            if let refusal = GroupPolicy.switchoverRefusal(
                group: group, target: to, settings: groups[index].settings, upstream: groups[index].upstream,
                runInProgress: groups[index].run?.header.id, holds: holds, at: now) {
                return refuseSwitchover(group: group, to: to, by: by, refusal, command: id)
            }
            groups[index].pending = .switchover(to: to, by: by, command: id)
            let decision = Decision(.notice, code: "switchover-requested", group: group, "\(by) asked for a switchover to \(to): reading DM's checkpoints to check it.")
            return [.log(decision)] + queryDM(index, at: now)
        case .check(let group, let to):
            guard let index = index(of: group) else { return [.reply(id, .refused("There is no group named \(group)."))] }
            groups[index].waitingChecks.append(GroupSupervisor.WaitingCheck(to: to, command: id))
            return queryDM(index, at: now)
        }
    }

    /// DM's status was read (or could not be) for the dry runs waiting for it. Like a
    /// switchover, a check judges the instances on probes that start after DM's checkpoint
    /// was read, so they are probed again first; without DM's status the checks are refused.
    mutating func checksDMAnswered(_ index: Int, _ result: DMQueryResult, at now: Instant) -> [SupervisorAction] {
        guard !groups[index].waitingChecks.isEmpty, groups[index].checkProbes == nil else { return [] }
        guard case .status = result else { return answerChecks(index, result, at: now) }
        var probing = Set<InstanceAddress>()
        var actions: [SupervisorAction] = []
        for spec in groups[index].settings.instances {
            guard let ticket = groups[index].schedule.probeNow(ProbeTarget(group: groups[index].name, address: spec.address), at: now) else { continue }
            probing.insert(spec.address)
            actions.append(.probe(ticket, timeout: groups[index].settings.detection.probeTimeout))
        }
        guard !probing.isEmpty else { return answerChecks(index, result, at: now) }
        groups[index].checkProbes = probing
        return actions
    }

    /// A fresh probe the waiting checks needed reported (or timed out); the last one answers them.
    mutating func checkTargetProbed(_ target: ProbeTarget, in index: Int, at now: Instant) -> [SupervisorAction] {
        guard !target.throughVIP, var probing = groups[index].checkProbes, probing.remove(target.address) != nil else { return [] }
        groups[index].checkProbes = probing.isEmpty ? nil : probing
        guard probing.isEmpty else { return [] }
        guard let dm = groups[index].dm else { return answerChecks(index, .failed("it is no longer known"), at: now) }
        return answerChecks(index, .status(dm), at: now)
    }

    /// Answers every dry run waiting, on DM's status (or says it could not be read).
    private mutating func answerChecks(_ index: Int, _ result: DMQueryResult, at now: Instant) -> [SupervisorAction] {
        let waiting = groups[index].waitingChecks
        groups[index].waitingChecks = []
        return waiting.map { waiting in
            switch result {
            case .status: .reply(waiting.command, check(index, to: waiting.to, at: now))
            case .failed(let why): .reply(waiting.command, .refused("Nothing was checked: DM's status of group \(groups[index].name) could not be read: \(why)"))
            }
        }
    }

    /// The dry run: the selector on the latest observations and DM's fresh status, changing nothing.
    private func check(_ index: Int, to: InstanceAddress?, at now: Instant) -> OperatorReply {
        let group = groups[index]
        guard let dm = group.dm, let dmAt = group.dmAt else {
            return .refused("DM's status of group \(group.name) has not been read yet; try again in \(group.settings.dmStatusInterval.sentenceText).")
        }
        let input = group.selectionInput(dm: dm, at: now)
        let selection = to.map { Selector.select(input, target: $0) } ?? Selector.select(input)
        let block = GroupPolicy.automaticRunBlock(
            group: group.name, automatic: group.settings.automatic, grace: group.detector.startupGrace, holds: holds, cooldown: group.cooldown,
            authority: group.authority, at: now)
        return .report(CheckReport(group: group.name, upstream: group.upstream, verdict: group.verdict, block: block, selection: selection, dmStatusAt: dmAt))
    }

    /// A switch that was refused is a warning in the log (`LogPriority`'s meaning of warning),
    /// not only an answer to the operator who asked.
    func refuseSwitchover(group: String, to: InstanceAddress, by: String, _ reason: String, command: CommandID) -> [SupervisorAction] {
        let decision = Decision(.warning, code: "switchover-refused", group: group, "The switchover of group \(group) to \(to) asked by \(by) was refused: \(reason)")
        return [.log(decision), .reply(command, .refused(reason))]
    }

    private func unknownGroup(_ scope: HoldScope) -> String? {
        guard case .group(let name) = scope, index(of: name) == nil else { return nil }
        return "There is no group named \(name)."
    }

    /// Everything `dmswitchctl status` shows.
    public func status(at now: Instant) -> SupervisorStatus {
        SupervisorStatus(
            globalHolds: holds.filter { $0.scope == .global && $0.isActive(at: now) },
            groups: groups.map { group in
                GroupStatus(
                    name: group.name, upstream: group.upstream, verdict: group.verdict,
                    instances: group.settings.instances.map { spec in
                        let record = group.detector.records[spec.address]
                        return InstanceStatus(
                            address: spec.address, health: group.detector.health(of: spec.address),
                            serverIdentity: record?.lastAnswer?.serverIdentity, lastProbeAt: record?.latestAt)
                    },
                    holds: holds.filter { $0.scope == .group(group.name) && $0.isActive(at: now) },
                    cooldown: group.cooldown.flatMap { $0.isActive(at: now) ? $0 : nil },
                    startupGrace: group.detector.startupGrace, automatic: group.settings.automatic,
                    run: group.runStatus, dmStatusAt: group.dmAt, authority: group.authority)
            })
    }
}

extension String {
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
