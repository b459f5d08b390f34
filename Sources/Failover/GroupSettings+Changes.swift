extension GroupSettings {
    /// What differs from `old`, in a few words for the reload's log line: "instance db4:3306
    /// added, priority of db2:3306 0 → 10, detection". Empty differences (the shell's parts
    /// changed, not the core's) read "its DM or hook settings".
    public func changes(from old: GroupSettings) -> String {
        var parts: [String] = []
        let oldAddresses = Set(old.instances.map(\.address))
        let newAddresses = Set(instances.map(\.address))
        for spec in instances where !oldAddresses.contains(spec.address) { parts.append("instance \(spec.address) added") }
        for spec in old.instances where !newAddresses.contains(spec.address) { parts.append("instance \(spec.address) removed") }
        for spec in instances {
            guard let before = old.instance(spec.address) else { continue }
            if before.priority != spec.priority { parts.append("priority of \(spec.address) \(before.priority) → \(spec.priority)") }
            if before.noFailover != spec.noFailover { parts.append("\(spec.address) \(spec.noFailover ? "no longer a candidate" : "a candidate again")") }
        }
        if runbook != old.runbook { parts.append("runbook \(old.runbook.rawValue) → \(runbook.rawValue)") }
        if repoint != old.repoint, runbook == old.runbook { parts.append("VIP \(old.repoint.vip?.description ?? "-") → \(repoint.vip?.description ?? "-")") }
        if relayEnabled != old.relayEnabled { parts.append("relay \(relayEnabled ? "on" : "off")") }
        if tasks != old.tasks { parts.append("task files") }
        if detection != old.detection { parts.append("detection") }
        if automatic != old.automatic { parts.append("automatic failover \(automatic ? "on" : "off")") }
        if catchUpTimeout != old.catchUpTimeout { parts.append("catch-up timeout \(catchUpTimeout.sentenceText)") }
        if cooldown != old.cooldown { parts.append("cooldown \(cooldown.sentenceText)") }
        if retry != old.retry { parts.append("step retries") }
        if stepTimeout != old.stepTimeout { parts.append("step timeout \(stepTimeout.sentenceText)") }
        if dmStatusInterval != old.dmStatusInterval { parts.append("DM status interval \(dmStatusInterval.sentenceText)") }
        return parts.isEmpty ? "its DM or hook settings" : parts.joined(separator: ", ")
    }
}
