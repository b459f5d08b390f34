/// Reloading the configuration while groups are watched and runs are in progress.
///
/// The rule: a run finishes with the settings it started with. A group's new settings take
/// effect at once when it has no run, otherwise when the run ends; a removed group with a run
/// is watched until the run ends, then dropped. Everything still true is kept (what the
/// detector knows of instances that stay, holds, the cooldown, the upstream), so a reload never
/// restarts the startup grace nor forgets a failing instance.
extension SupervisorCore {
    /// Applies the groups of a reloaded configuration.
    ///
    /// - Parameters:
    ///   - configured: every group of the new configuration, in its order.
    ///   - alsoChanged: groups whose shell-side configuration changed (DM backend, hook
    ///     commands, credentials) while their core settings did not: they are re-applied like
    ///     changed groups, so their shell is replaced at a moment no run needs it.
    /// - Returns: `.configureGroup` and `.removeGroup` for the shell, a decision per change, and
    ///   a last decision with code `reconfigured` that sums the reload up in one sentence.
    public mutating func reconfigure(_ configured: [GroupSettings], alsoChanged: Set<String> = [], at now: Instant) -> [SupervisorAction] {
        lastNow = max(lastNow, now)
        var actions: [SupervisorAction] = []
        var summary = ReconfigurationSummary()
        var next: [GroupSupervisor] = []
        var names = Set<String>()
        var toEvaluate: [String] = []
        for settings in configured where names.insert(settings.name).inserted {
            guard let index = index(of: settings.name) else {
                var added = GroupSupervisor(settings: settings, upstream: nil, cooldown: nil, run: nil, at: now)
                if let coordination { added.authority = .unknown(reason: coordination) }
                next.append(added)
                actions.append(.configureGroup(settings))
                actions.append(.log(Decision(.notice, code: "group-added", group: settings.name, "Group \(settings.name) is now watched: \(settings.instances.count) instances, \(settings.runbook.rawValue) runbook.")))
                summary.added.append(settings.name)
                continue
            }
            var group = groups[index]
            let differs = settings != group.settings || alsoChanged.contains(settings.name)
            if let run = group.run {
                let wasRemoved = group.removedByReload
                group.removedByReload = false
                group.pendingSettings = differs ? settings : nil
                if differs {
                    let what = settings.changes(from: group.settings)
                    actions.append(.log(Decision(.notice, code: "group-change-deferred", group: settings.name, run: run.header.id, "Group \(settings.name) is in the middle of run \(run.header.id): the reloaded settings (\(what)) apply when it ends.")))
                    summary.deferred.append(settings.name)
                } else if wasRemoved {
                    actions.append(.log(Decision(.notice, code: "group-kept", group: settings.name, "Group \(settings.name) is configured again: it stays watched after run \(run.header.id).")))
                }
                next.append(group)
            } else if differs {
                let what = settings.changes(from: group.settings)
                next.append(GroupSupervisor(reconfiguring: group, with: settings, at: now))
                actions.append(.configureGroup(settings))
                actions.append(.log(Decision(.notice, code: "group-changed", group: settings.name, "Group \(settings.name) runs with the reloaded settings: \(what).")))
                summary.changed.append(settings.name)
                toEvaluate.append(settings.name)
            } else {
                next.append(group)
            }
        }
        for group in groups where !names.contains(group.name) {
            guard let run = group.run else {
                actions += retire(group)
                summary.removed.append(group.name)
                continue
            }
            var kept = group
            kept.pendingSettings = nil
            kept.removedByReload = true
            next.append(kept)
            actions.append(.log(Decision(.notice, code: "group-removal-deferred", group: group.name, run: run.header.id, "Group \(group.name) is no longer configured, but run \(run.header.id) is in progress: it is watched until the run ends.")))
            summary.deferred.append(group.name)
        }
        groups = next
        for name in toEvaluate {
            if let index = index(of: name) { actions += evaluate(index, at: now) }
        }
        actions.append(.log(Decision(.notice, code: "reconfigured", summary.sentence)))
        return actions
    }

    /// Applies what a reload left waiting for runs that have now ended: new settings, or the
    /// removal of the group.
    mutating func applyDeferredReconfiguration(at now: Instant) -> [SupervisorAction] {
        guard groups.contains(where: { $0.run == nil && ($0.pendingSettings != nil || $0.removedByReload) }) else { return [] }
        var actions: [SupervisorAction] = []
        var next: [GroupSupervisor] = []
        var changed: [String] = []
        for group in groups {
            guard group.run == nil else {
                next.append(group)
                continue
            }
            if group.removedByReload {
                actions += retire(group)
            } else if let settings = group.pendingSettings {
                let what = settings.changes(from: group.settings)
                next.append(GroupSupervisor(reconfiguring: group, with: settings, at: now))
                actions.append(.configureGroup(settings))
                actions.append(.log(Decision(.notice, code: "group-changed", group: settings.name, "The run of group \(settings.name) ended: it now runs with the reloaded settings: \(what).")))
                changed.append(settings.name)
            } else {
                next.append(group)
            }
        }
        groups = next
        for name in changed {
            if let index = index(of: name) { actions += evaluate(index, at: now) }
        }
        return actions
    }

    /// Drops a group: its shell stops, and a switchover still waiting for DM's status is refused.
    private func retire(_ group: GroupSupervisor) -> [SupervisorAction] {
        var actions: [SupervisorAction] = [.removeGroup(group.name)]
        if case .switchover(_, _, let command) = group.pending {
            actions.append(.reply(command, .refused("The switchover was not started: group \(group.name) is no longer configured.")))
        }
        if case .switchoverProbing(_, _, let command) = group.pending {
            actions.append(.reply(command, .refused("The switchover was not started: group \(group.name) is no longer configured.")))
        }
        for waiting in group.waitingChecks {
            actions.append(.reply(waiting.command, .refused("Nothing was checked: group \(group.name) is no longer configured.")))
        }
        actions.append(.log(Decision(.notice, code: "group-removed", group: group.name, "Group \(group.name) is no longer configured: it is no longer watched.")))
        return actions
    }
}

/// What one reload changed, for its summary sentence.
struct ReconfigurationSummary {
    var added: [String] = []
    var changed: [String] = []
    var deferred: [String] = []
    var removed: [String] = []

    /// "Reloaded the configuration: group g2 added; group g1 changed; …" or "nothing changed".
    var sentence: String {
        var parts: [String] = []
        func say(_ names: [String], _ what: String) {
            guard !names.isEmpty else { return }
            parts.append("\(names.count == 1 ? "group" : "groups") \(names.joined(separator: ", ")) \(what)")
        }
        say(added, "added")
        say(changed, "changed")
        say(deferred, "changed when the run in progress ends")
        say(removed, "removed")
        guard !parts.isEmpty else { return "Reloaded the configuration: no group changed." }
        return "Reloaded the configuration: \(parts.joined(separator: "; "))."
    }
}
