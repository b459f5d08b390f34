import Control

/// `dmswitchctl check GROUP`: the dry run of a switch.
enum CheckCommand {
    static let command = CLICommand(
        name: "check", synopsis: "check GROUP",
        summary: "Dry run: the candidate a switch would choose, and why.",
        details: "Nothing is changed: no task is paused and no upstream is moved.",
        action: .daemon(options: [:], prepare: prepare, render: render))

    static func prepare(_ arguments: ParsedArguments) throws(UsageError) -> PreparedRequest {
        guard let group = try arguments.positionals(atMost: 1).first else { throw UsageError("check needs a GROUP.") }
        return PreparedRequest(request: ControlRequest(.check(group: group)))
    }

    static func render(_ result: ControlResult) -> String {
        guard case .check(let report) = result else { return "" }
        var out: String
        if let chosen = report.chosen {
            out = "Group \(report.group): a switch now would choose \(chosen).\n"
        } else {
            out = "Group \(report.group): no candidate qualifies; a switch now would change nothing.\n"
        }
        for finding in report.findings ?? [] { out += "  \(finding)\n" }
        if !report.verdicts.isEmpty {
            out += "\n" + Table(
                headers: ["CANDIDATE", "ELIGIBLE", "REASONS"],
                rows: report.verdicts.map { verdict in
                    [verdict.instance, verdict.eligible ? "yes" : "no", verdict.reasons.isEmpty ? "-" : verdict.reasons.joined(separator: "\n")]
                }, indent: 2
            ).render()
        }
        if !report.runbook.isEmpty {
            out += "\nRunbook:\n"
            for (index, step) in report.runbook.enumerated() { out += "  \(index + 1). \(step)\n" }
        }
        return out
    }
}
