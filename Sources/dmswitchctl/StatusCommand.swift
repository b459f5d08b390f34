import Control

/// `dmswitchctl status [GROUP]`: groups, their instances and tasks, holds and cooldowns.
enum StatusCommand {
    static let command = CLICommand(
        name: "status", synopsis: "status [GROUP]",
        summary: "Show groups: upstream, hold, cooldown, instances, DM tasks.",
        details: "Without GROUP every configured group is shown.",
        action: .daemon(options: [:], prepare: prepare, render: render))

    static func prepare(_ arguments: ParsedArguments) throws(UsageError) -> PreparedRequest {
        PreparedRequest(request: ControlRequest(.status(group: try arguments.positionals(atMost: 1).first)))
    }

    static func render(_ result: ControlResult) -> String {
        guard case .status(let report) = result else { return "" }
        guard !report.groups.isEmpty else { return "No groups are configured.\n" }
        return report.groups.map(render).joined(separator: "\n")
    }

    static func render(_ group: GroupStatus) -> String {
        var out = "Group \(group.name)\n"
        var facts: [[String]] = [
            ["upstream", group.upstream ?? "unknown"],
            ["hold", group.hold.map(holdText) ?? "none"],
            ["cooldown", group.cooldownUntil.map { "until \(TimeText.format($0))" } ?? "none"],
        ]
        if let node = group.actingNode { facts.insert(["acting node", node], at: 1) }
        if let problem = group.coordination { facts.insert(["coordination", problem], at: 1) }
        if let decision = group.lastDecision { facts.append(["last decision", decision]) }
        let width = facts.map { $0[0].count }.max() ?? 0
        for fact in facts {
            out += "  " + fact[0] + String(repeating: " ", count: width - fact[0].count + 2) + fact[1] + "\n"
        }
        if !group.instances.isEmpty {
            out += "\n" + Table(
                headers: ["INSTANCE", "ADDRESS", "HEALTH", "ROLE", "READ-ONLY", "IDENTITY", "GTID EXECUTED"],
                rows: group.instances.map { instance in
                    [instance.name, instance.address, instance.health, instance.role ?? "-",
                     instance.readOnly.map { $0 ? "yes" : "no" } ?? "-", instance.identity ?? "-", instance.gtidExecuted ?? "-"]
                }, indent: 2
            ).render()
        }
        if !group.tasks.isEmpty {
            out += "\n" + Table(
                headers: ["TASK", "STAGE", "GTID-S"],
                rows: group.tasks.map { [$0.name, $0.stage, $0.gtidS ?? "-"] }, indent: 2
            ).render()
        }
        return out
    }

    static func holdText(_ hold: HoldStatus) -> String {
        let until = hold.until.map { "until \(TimeText.format($0))" } ?? "until released"
        return "held by \(hold.owner) since \(TimeText.format(hold.since)), \(until): \(hold.reason)"
    }
}
