import DM
import Foundation

/// The operations of `pause-task`, `resume-task` and `stop-task` (dm-interface §3.2, §6.1).
enum TaskOperation: String {
    case pause = "pause-task", resume = "resume-task", stop = "stop-task"

    /// The `op` enum name in replies.
    func name(_ version: DMVersion) -> String {
        switch self {
        case .pause: return "Pause"
        case .resume: return "Resume"
        case .stop: return version.stopOperation
        }
    }
}

/// The outcome of one subtask operation: per-source `result` and `msg`.
struct SubtaskOutcome {
    var source: String
    var result: Bool
    var msg: String
}

extension SimContext {
    func operateTask(_ operation: TaskOperation, _ invocation: Invocation) -> CommandReply {
        if invocation.positional.count > 1 { return Usage.error(operation.rawValue, version: version) }
        guard let argument = invocation.positional.first else {
            if version.isV1 { return Usage.error(operation.rawValue, version: version) }
            return batchOperateTask(operation, invocation)
        }
        let name = TaskNames.fromArgument(argument)
        let op = operation.name(version)
        if version.isV1 { return operateTaskV1(operation, name: name, workers: invocation.workers) }

        let task = state.tasks[name]
        var sources = invocation.sources
        if sources.isEmpty {
            guard let task, !task.subtasks.isEmpty else {
                return .json(Replies.operation(op, false, "task \(name) has no source or not exist, please check the task name and status", []))
            }
            sources = Array(task.subtasks.keys)
        }
        sources = Array(Set(sources)).sorted()
        guard let task, sources.allSatisfy({ task.subtasks[$0] != nil }) else {
            return .json(Replies.operation(op, false, Terror.taskNotExist(name).description, []))
        }
        let outcomes = sources.map { apply(operation, task: task.name, source: $0) }
        return .json(Replies.operation(op, true, "", outcomes.map {
            Replies.worker(result: $0.result, msg: $0.msg, source: $0.source, worker: worker(of: $0.source))
        }))
    }

    /// `pause-task -s SRC` without a task: every task of the source, encoding/json reply.
    private func batchOperateTask(_ operation: TaskOperation, _ invocation: Invocation) -> CommandReply {
        guard invocation.sources.count == 1, let sourceID = invocation.sources.first else {
            let line = invocation.sources.isEmpty
                ? "must give one source-name when task-name/task-conf is not specified"
                : "can give only one source-name when task-name/task-conf is not specified"
            return .failure("please check output to see error",
                            stdout: line + "\n" + Usage.text(operation.rawValue, version: version))
        }
        let op = operation.name(version)
        guard state.sources[sourceID] != nil else {
            return .json(.object([("result", .bool(false)), ("msg", .string("sources [\(sourceID)] haven't been added")),
                                  ("tasks", .array([]))]))
        }
        var tasks: [ReplyJSON] = []
        for task in state.tasks.values.sorted(by: { $0.name < $1.name }) where task.subtasks[sourceID] != nil {
            let outcome = apply(operation, task: task.name, source: sourceID)
            tasks.append(.object([
                ("task", .string(task.name)), ("op", .string(op)), ("result", .bool(true)), ("msg", .string("")),
                ("sources", .array([Replies.workerOmittingEmpty(result: outcome.result, msg: outcome.msg,
                                                                 source: sourceID, worker: worker(of: sourceID))])),
            ]))
        }
        return .json(.object([("result", .bool(true)), ("msg", .string("")), ("tasks", .array(tasks))]))
    }

    /// v1.0: `OperateTaskResponse {op, result, msg, workers: [{meta, op, logID}]}`.
    private func operateTaskV1(_ operation: TaskOperation, name: String, workers: [String]) -> CommandReply {
        let op = operation.name(version)
        guard let task = state.tasks[name], !task.subtasks.isEmpty else {
            return .json(.object([("op", .string(op)), ("result", .bool(false)),
                                  ("msg", .string("task \(name) has no workers or not exist, can try `refresh-worker-tasks` cmd first")),
                                  ("workers", .array([]))]))
        }
        var addresses = state.v1Workers.filter { task.subtasks[$0.value] != nil }.map(\.key)
        if !workers.isEmpty { addresses = workers }
        var items: [ReplyJSON] = []
        for (index, address) in Set(addresses).sorted().enumerated() {
            let outcome: SubtaskOutcome
            if let sourceID = state.v1Workers[address], task.subtasks[sourceID] != nil {
                outcome = apply(operation, task: name, source: sourceID)
            } else {
                outcome = SubtaskOutcome(source: "", result: false, msg: "sub task with name \(name) not found on worker \(address)")
            }
            items.append(.object([
                ("meta", Replies.v1Worker(result: outcome.result, worker: address, msg: outcome.msg)),
                ("op", .string(op)), ("logID", .int64(index + 1)),
            ]))
        }
        return .json(.object([("op", .string(op)), ("result", .bool(true)), ("msg", .string("")), ("workers", .array(items))]))
    }

    /// Applies one operation to one subtask on the servers and in the state.
    func apply(_ operation: TaskOperation, task name: String, source sourceID: String) -> SubtaskOutcome {
        guard let task = state.tasks[name], let subtask = task.subtasks[sourceID] else {
            return SubtaskOutcome(source: sourceID, result: false, msg: Terror.taskNotExist(name).description)
        }
        let relay = usesRelay(sourceID)
        do {
            switch operation {
            case .pause:
                try replicator.stop(task, connection: subtask.connection, relay ? .sql : .both)
                state.tasks[name]?.subtasks[sourceID]?.expected = .paused
                record("subtask", task: name, source: sourceID, "paused (\(relay ? "SQL thread" : "replication connection") stopped)")
            case .resume:
                // DM's Resume re-opens the subtask's upstream connections (`resetDBs`, dm-interface
                // §8.5): from here on the subtask belongs to the server behind the address now,
                // also when it reads through a relay that has not reconnected yet. The relay
                // keeps its own sub-directory bookkeeping, so only the identity is recorded then.
                recordStart(task: name, source: sourceID, noteRelay: !relay)
                try replicator.start(task, connection: subtask.connection, relay ? .sql : .both)
                state.tasks[name]?.subtasks[sourceID]?.expected = .running
                record("subtask", task: name, source: sourceID, "resumed")
                if let failure = waitUntilRunning(task: name, source: sourceID) {
                    return SubtaskOutcome(source: sourceID, result: false, msg: failure)
                }
            case .stop:
                try replicator.remove(task, connection: subtask.connection)
                state.tasks[name]?.subtasks[sourceID] = nil
                if state.tasks[name]?.subtasks.isEmpty ?? false { state.tasks[name] = nil }
                record("subtask", task: name, source: sourceID, "stopped and removed; checkpoint gtid_slave_pos kept")
            }
        } catch {
            return SubtaskOutcome(source: sourceID, result: false, msg: Terror.workerError(error.description).description)
        }
        return SubtaskOutcome(source: sourceID, result: true, msg: "")
    }

    /// Waits briefly (DM-master waits for the worker to reach the expected stage) and
    /// returns the worker error when the subtask failed at once, e.g. on a purged binlog.
    func waitUntilRunning(task name: String, source sourceID: String) -> String? {
        guard let task = state.tasks[name], let subtask = task.subtasks[sourceID] else { return nil }
        let relay = usesRelay(sourceID)
        let deadline = Date().addingTimeInterval(2)
        var last: ConnectionStatus?
        while Date() < deadline {
            last = try? replicator.status(task, connection: subtask.connection)
            guard let status = last else { break }
            let (stage, result) = StageMapping.subtaskStage(expected: .running, status: status, relay: relay)
            if stage == "Running" && (relay || status.ioReading) { return nil }
            if let errors = result?.errors, let first = errors.first {
                return Terror.workerError(Self.protoText(first)).description
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }

    /// A `ProcessError` in protobuf text format, the way the master folds worker errors into `msg`.
    static func protoText(_ error: ProcessError) -> String {
        "ErrCode:\(error.code) ErrClass:\"\(error.errClass)\" ErrScope:\"\(error.scope)\" ErrLevel:\"\(error.level)\" "
            + "Message:\"\(error.message)\" RawCause:\"\(error.rawCause)\" Workaround:\"\(error.workaround)\" "
    }
}
