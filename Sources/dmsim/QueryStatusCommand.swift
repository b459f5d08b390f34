import DM
/// `query-status [-s source ...] [task-name | task-file] [--more]` (dm-interface §3.1, §4, §6.2).
extension SimContext {
    func queryStatus(_ invocation: Invocation) -> CommandReply {
        guard invocation.positional.count <= 1 else { return Usage.error("query-status", version: version) }
        let taskName = invocation.positional.first.map(TaskNames.fromArgument)
        if version.isV1 { return queryStatusV1(taskName, workers: invocation.workers, more: invocation.switches.contains("more")) }

        let unknown = invocation.sources.filter { state.sources[$0] == nil }
        if !unknown.isEmpty {
            return .json(Replies.resultWithSources(false, "sources \(Terror.goList(unknown)) haven't been added", []))
        }
        var sourceIDs: [String]
        if !invocation.sources.isEmpty {
            sourceIDs = invocation.sources
        } else if let taskName {
            guard let task = state.tasks[taskName], !task.subtasks.isEmpty else {
                return .json(Replies.resultWithSources(false, "task \(taskName) has no source or not exist", []))
            }
            sourceIDs = Array(task.subtasks.keys)
        } else {
            sourceIDs = state.sources.values.filter { $0.worker != nil }.map(\.id)
        }
        sourceIDs = Array(Set(sourceIDs)).sorted()
        let statuses = downstreamStatuses()
        var entries: [ReplyJSON] = []
        var allResults = true
        var summary: [String: [(source: String, view: SubtaskView, relayPaused: Bool)]] = [:]
        for sourceID in sourceIDs {
            guard let source = state.sources[sourceID], let worker = source.worker else {
                allResults = false
                entries.append(.object([
                    ("result", .bool(false)), ("msg", .string(Terror.workerClientNotFound(sourceID).description)),
                    ("sourceStatus", .object([("source", .string(sourceID)), ("worker", .string("")),
                                              ("result", .null), ("relayStatus", .null)])),
                    ("subTaskStatus", .array([])),
                ]))
                continue
            }
            let relay = relayView(sourceID, statuses: statuses.byTask)
            var subtaskItems: [ReplyJSON] = []
            let tasks = state.tasks.values.filter { $0.subtasks[sourceID] != nil && (taskName == nil || $0.name == taskName) }
            for task in tasks.sorted(by: { $0.name < $1.name }) {
                guard let subtask = task.subtasks[sourceID] else { continue }
                let view = subtaskView(task: task, subtask: subtask, statuses: statuses.byTask[task.name])
                subtaskItems.append(Replies.subtask(view, version: version))
                summary[task.name, default: []].append((sourceID, view, relay?.stage == "Paused"))
            }
            var msg = ""
            if let taskName, tasks.isEmpty {
                subtaskItems.append(Replies.missingSubtask(taskName, version: version))
            } else if tasks.isEmpty {
                msg = "no sub task started"
            }
            entries.append(.object([
                ("result", .bool(true)), ("msg", .string(msg)),
                ("sourceStatus", .object([("source", .string(sourceID)), ("worker", .string(worker)),
                                          ("result", .null), ("relayStatus", Replies.relay(relay, version: version))])),
                ("subTaskStatus", .array(subtaskItems)),
            ]))
        }
        let summaryMode = taskName == nil && invocation.sources.isEmpty && !invocation.switches.contains("more") && allResults
        if summaryMode {
            return .json(taskSummary(summary, listKey: "sources"))
        }
        return .json(Replies.resultWithSources(true, "", entries))
    }

    /// The encoding/json task list of `query-status` without arguments (`wrapTaskResult`).
    func taskSummary(_ summary: [String: [(source: String, view: SubtaskView, relayPaused: Bool)]], listKey: String) -> ReplyJSON {
        var tasks: [ReplyJSON] = []
        for name in summary.keys.sorted() {
            let items = summary[name] ?? []
            let status: String
            let hint = "Please run `query-status \(name)` to get more details."
            if items.contains(where: { $0.view.stage == "Paused" && $0.view.hasErrors }) {
                status = "Error - Some error occurred in subtask. \(hint)"
            } else if items.contains(where: { $0.view.stage == "Running" && $0.relayPaused }) {
                status = "Error - Relay status is Paused. \(hint)"
            } else if items.contains(where: { $0.view.stage == "Paused" }) {
                status = "Paused"
            } else {
                status = "Running"
            }
            tasks.append(.omittingNil([
                ("taskName", .string(name)), ("taskStatus", .string(status)),
                (listKey, items.isEmpty ? nil : .array(items.map { .string($0.source) }.sortedByText())),
            ]))
        }
        return .object([("result", .bool(true)), ("msg", .string("")), ("tasks", .array(tasks))])
    }

    /// The connections of every task's downstream, by task name then connection name; a
    /// task whose downstream cannot be reached maps to nil.
    func downstreamStatuses() -> (byTask: [String: [String: ConnectionStatus]], failures: [String: ServerFailure]) {
        var byServer: [String: Result<[String: ConnectionStatus], ServerFailure>] = [:]
        var byTask: [String: [String: ConnectionStatus]] = [:]
        var failures: [String: ServerFailure] = [:]
        for task in state.tasks.values {
            let endpoint = replicator.admin(task)
            let key = endpoint.address
            if byServer[key] == nil {
                do { byServer[key] = .success(try replicator.allStatuses(endpoint)) } catch { byServer[key] = .failure(error) }
            }
            switch byServer[key] {
            case .success(let statuses): byTask[task.name] = statuses
            case .failure(let failure): failures[task.name] = failure
            case nil: break
            }
        }
        return (byTask, failures)
    }

    /// v1.0 `query-status`: one `workers[]` element per DM-worker (dm-interface §6.2).
    private func queryStatusV1(_ taskName: String?, workers: [String], more: Bool) -> CommandReply {
        if let taskName, state.tasks[taskName] == nil {
            return .json(.object([("result", .bool(false)),
                                  ("msg", .string("task \(taskName) has no workers or not exist")),
                                  ("workers", .array([]))]))
        }
        var addresses = workers.isEmpty ? Array(state.v1Workers.keys) : workers
        if let taskName, workers.isEmpty, let task = state.tasks[taskName] {
            addresses = state.v1Workers.filter { task.subtasks[$0.value] != nil }.map(\.key)
        }
        let statuses = downstreamStatuses()
        var entries: [ReplyJSON] = []
        var summary: [String: [(source: String, view: SubtaskView, relayPaused: Bool)]] = [:]
        for address in Set(addresses).sorted() {
            guard let sourceID = state.v1Workers[address] else {
                entries.append(.object([("result", .bool(false)), ("worker", .string(address)),
                                        ("msg", .string("worker \(address) relevant worker-client not found")),
                                        ("subTaskStatus", .array([])), ("relayStatus", .null), ("sourceID", .string(""))]))
                continue
            }
            let relay = relayView(sourceID, statuses: statuses.byTask)
            var items: [ReplyJSON] = []
            for task in state.tasks.values.sorted(by: { $0.name < $1.name }) where taskName == nil || task.name == taskName {
                guard let subtask = task.subtasks[sourceID] else { continue }
                let view = subtaskView(task: task, subtask: subtask, statuses: statuses.byTask[task.name])
                items.append(Replies.subtask(view, version: version))
                summary[task.name, default: []].append((address, view, relay?.stage == "Paused"))
            }
            entries.append(.object([("result", .bool(true)), ("worker", .string(address)), ("msg", .string("")),
                                    ("subTaskStatus", .array(items)), ("relayStatus", Replies.relay(relay, version: version)),
                                    ("sourceID", .string(sourceID))]))
        }
        if taskName == nil && workers.isEmpty && !more {
            return .json(taskSummary(summary, listKey: "workers"))
        }
        return .json(.object([("result", .bool(true)), ("msg", .string("")), ("workers", .array(entries))]))
    }
}

extension Array where Element == ReplyJSON {
    func sortedByText() -> [ReplyJSON] {
        sorted { lhs, rhs in
            if case .string(let a) = lhs, case .string(let b) = rhs { return a < b }
            return false
        }
    }
}

/// Task names given as a name or a task file (dmctl's `GetTaskNameFromArgOrFile`).
enum TaskNames {
    static func fromArgument(_ argument: String) -> String {
        guard argument.hasSuffix(".yaml") || argument.hasSuffix(".yml"),
              let file = try? DMTaskFile.read(path: argument) else { return argument }
        return file.name
    }
}
