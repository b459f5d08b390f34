/// One task of `query-status` without arguments: its name, DM's one-line status and its sources.
public struct DMTaskSummary: Hashable, Sendable {
    public var name: String
    /// DM's `taskStatus`: a stage name ("Running", "Paused", …) or a sentence starting with
    /// "Error - " (dm-interface §3.1).
    public var status: String
    /// The task's sources (v2+), or its worker addresses (v1.0).
    public var sources: [String]

    public init(name: String, status: String, sources: [String]) {
        self.name = name
        self.status = status
        self.sources = sources
    }

    /// Whether DM flagged the task as in error (a paused subtask with errors, or a broken relay).
    public var hasError: Bool { status.hasPrefix("Error") }

    /// The stage the status names, or `nil` for the "Error - …" sentences.
    public var stage: DMStage? { hasError ? nil : DMStage(name: status) }
}

/// The reply to `query-status` without arguments: every task DM knows.
public struct DMTaskList: Hashable, Sendable {
    public var result: Bool
    public var message: String?
    /// The tasks, sorted by name.
    public var tasks: [DMTaskSummary]

    public init(result: Bool, message: String? = nil, tasks: [DMTaskSummary]) {
        self.result = result
        self.message = message
        self.tasks = tasks
    }
}

/// Parses `query-status` without arguments.
///
/// dmctl prints the short task summary (Go `encoding/json`) only when every worker answered;
/// otherwise it falls back to the full reply. Both are accepted: for a full reply the
/// summary is derived with DM's own rules (`wrapTaskResult`), and tasks are sorted by name
/// because dmctl's summary order is random (it comes from a Go map).
public enum DMTaskListParser {
    static let expected = "query-status reply"

    public static func parse(_ output: String) throws(DMOutputError) -> DMTaskList {
        let root = try DMCtlJSON.decode(output, expected: expected)
        do {
            let result = try root.bool("result")
            let message = try root.message("msg")
            if try root.has("tasks") {
                var tasks: [DMTaskSummary] = []
                for element in try root.requiredArray("tasks") {
                    let hasSources = try element.has("sources")
                    tasks.append(
                        DMTaskSummary(
                            name: try element.string("taskName"), status: try element.string("taskStatus"),
                            sources: try element.strings(hasSources ? "sources" : "workers")))
                }
                return DMTaskList(result: result, message: message, tasks: tasks.sorted { $0.name < $1.name })
            }
            let report = try DMQueryStatusParser.report(root, flavors: [:])
            return DMTaskList(result: result, message: message, tasks: summaries(of: report))
        } catch {
            throw error.output(output, expected: expected)
        }
    }

    /// Summaries derived from a full reply, following DM's `wrapTaskResult` order of rules.
    static func summaries(of report: DMStatusReport) -> [DMTaskSummary] {
        var order: [String] = []
        var byName: [String: [DMTaskStatus]] = [:]
        for task in report.tasks {
            if byName[task.name] == nil { order.append(task.name) }
            byName[task.name, default: []].append(task)
        }
        return order.sorted().map { name in
            let subtasks = byName[name] ?? []
            var sources: [String] = []
            for task in subtasks where !sources.contains(task.source) { sources.append(task.source) }
            return DMTaskSummary(name: name, status: status(of: subtasks), sources: sources)
        }
    }

    private static func status(of subtasks: [DMTaskStatus]) -> String {
        if subtasks.contains(where: { $0.stage == .paused && !$0.errors.isEmpty }) {
            return "Error - Some error occurred in subtask."
        }
        if let broken = subtasks.first(where: {
            $0.unit == .sync && $0.stage == .running && ($0.relayStage == .paused || $0.relayStage == .stopped)
        }) {
            let relayStage = broken.relayErrors.isEmpty ? broken.relayStage?.name ?? "" : "Error"
            return "Error - Relay status is \(relayStage)."
        }
        if subtasks.contains(where: { $0.stage == .paused }) { return DMStage.paused.name }
        for stage in [DMStage.new, .finished, .stopped] where subtasks.allSatisfy({ $0.stage == stage }) {
            return stage.name
        }
        return DMStage.running.name
    }
}
