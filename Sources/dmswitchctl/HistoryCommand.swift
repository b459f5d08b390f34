import Control

/// `dmswitchctl history [GROUP] [--limit N]`: recent runs and their steps.
enum HistoryCommand {
    static let command = CLICommand(
        name: "history", synopsis: "history [GROUP] [--limit N]",
        summary: "Recent runs and their steps, newest first.",
        details: "--limit N shows at most N runs (default: the daemon's choice).",
        action: .daemon(options: ["--limit": .value(placeholder: "N")], prepare: prepare, render: render))

    static func prepare(_ arguments: ParsedArguments) throws(UsageError) -> PreparedRequest {
        let group = try arguments.positionals(atMost: 1).first
        var limit: Int?
        if let text = arguments.value("--limit") {
            guard let number = Int(text), (1...ControlRequest.maximumHistoryLimit).contains(number) else {
                throw UsageError("--limit needs a number from 1 to \(ControlRequest.maximumHistoryLimit), not \"\(text)\".")
            }
            limit = number
        }
        return PreparedRequest(request: ControlRequest(.history(group: group, limit: limit)))
    }

    static func render(_ result: ControlResult) -> String {
        guard case .history(let history) = result else { return "" }
        guard !history.runs.isEmpty else { return "No runs recorded.\n" }
        var out = Table(
            headers: ["RUN", "GROUP", "KIND", "FROM", "TO", "STARTED", "OUTCOME"],
            rows: history.runs.map { run in
                [run.id, run.group, run.kind, run.from ?? "-", run.to ?? "-", TimeText.format(run.startedAt), run.outcome]
            }
        ).render()
        for run in history.runs where !run.steps.isEmpty {
            out += "\nSteps of \(run.id):\n"
            out += Table(
                headers: ["TIME", "STEP", "OUTCOME"],
                rows: run.steps.map { [TimeText.timeOfDay($0.startedAt), $0.name, $0.outcome] }, indent: 2
            ).render()
        }
        return out
    }
}
