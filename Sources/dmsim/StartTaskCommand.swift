import DM
import GTID
/// `start-task [-s source ...] [--remove-meta] <config-file>` (dm-interface §3.3).
///
/// Creates one replication connection per source on the task's target and starts it by
/// GTID from the downstream's checkpoint (`gtid_slave_pos`); `--remove-meta` first drops the
/// checkpoint of the source's domains (then `meta.binlog-gtid`, if given, is the start point).
extension SimContext {
    func startTask(_ invocation: Invocation) -> CommandReply {
        guard invocation.positional.count == 1, let path = invocation.positional.first else {
            return Usage.error("start-task", version: version)
        }
        let file: DMTaskFile
        do {
            file = try DMTaskFile.read(path: path)
        } catch {
            return .failure("error in get file content: \(error)")
        }
        var sourceIDs = file.sourceIDs
        if !invocation.sources.isEmpty {
            let foreign = invocation.sources.filter { !sourceIDs.contains($0) }
            if !foreign.isEmpty { return startReply(false, "source \(Terror.goList(foreign)) not found in task's config", []) }
            sourceIDs = invocation.sources
        }
        sourceIDs = Array(Set(sourceIDs)).sorted()
        let missing = sourceIDs.filter { state.sources[$0] == nil }
        if !missing.isEmpty { return startReply(false, "sources \(Terror.goList(missing)) haven't been added", []) }
        let existing = sourceIDs.filter { state.tasks[file.name]?.subtasks[$0] != nil }
        if !existing.isEmpty { return startReply(false, Terror.subtasksExist(file.name, sources: existing).description, []) }
        if let current = state.tasks[file.name], current.target != file.target {
            return startReply(false, "task \(file.name) already exists with another target-database", [])
        }
        // Precheck: every upstream and the downstream must answer.
        for sourceID in sourceIDs {
            if case .failure(let failure) = observe(sourceID) {
                return startReply(false, "fail to check synchronization configuration: source \(sourceID): \(failure)", [],
                                  check: "fail to check synchronization configuration with type: source db connection")
            }
        }
        var task = state.tasks[file.name] ?? TaskRecord(name: file.name, target: file.target)
        do {
            _ = try replicator.appliedPosition(task)
        } catch {
            return startReply(false, "fail to check synchronization configuration: target database: \(error)", [],
                              check: "fail to check synchronization configuration with type: target db connection")
        }
        for sourceID in sourceIDs {
            task.subtasks[sourceID] = SubtaskRecord(
                source: sourceID, connection: SubtaskRecord.connectionName(task: file.name, source: sourceID),
                expected: .running, startedServerID: nil, startedAddress: state.sources[sourceID]?.from.address ?? "")
        }
        state.tasks[file.name] = task
        var outcomes: [SubtaskOutcome] = []
        for sourceID in sourceIDs {
            let meta = file.metaGTID(of: sourceID)
            outcomes.append(startSubtask(task: file.name, source: sourceID, metaGTID: meta,
                                         removeMeta: invocation.switches.contains("remove-meta")))
        }
        for outcome in outcomes where !outcome.result {
            state.tasks[file.name]?.subtasks[outcome.source] = nil
        }
        if state.tasks[file.name]?.subtasks.isEmpty ?? false { state.tasks[file.name] = nil }
        return startReply(true, "", outcomes)
    }

    private func startReply(_ result: Bool, _ msg: String, _ outcomes: [SubtaskOutcome], check: String = "") -> CommandReply {
        if version.isV1 {
            let workers = outcomes.map { outcome in
                Replies.v1Worker(result: outcome.result,
                                 worker: state.v1Workers.first { $0.value == outcome.source }?.key ?? "",
                                 msg: outcome.msg)
            }
            return .json(.object([("result", .bool(result)), ("msg", .string(msg)), ("workers", .array(workers))]))
        }
        var fields: [(String, ReplyJSON)] = [
            ("result", .bool(result)), ("msg", .string(msg)),
            ("sources", .array(outcomes.map {
                Replies.worker(result: $0.result, msg: $0.msg, source: $0.source, worker: worker(of: $0.source))
            })),
        ]
        if version.hasCheckResult { fields.append(("checkResult", .string(result ? "pre-check is passed. " : check))) }
        return .json(.object(fields))
    }

    private func startSubtask(task name: String, source sourceID: String, metaGTID: String, removeMeta: Bool) -> SubtaskOutcome {
        guard let task = state.tasks[name], let subtask = task.subtasks[sourceID],
              let source = state.sources[sourceID] else {
            return SubtaskOutcome(source: sourceID, result: false, msg: Terror.taskNotExist(name).description)
        }
        do {
            // A connection left behind (by hand, or by a lost state directory) is re-pointed.
            if (try replicator.status(task, connection: subtask.connection)) != nil {
                try replicator.stop(task, connection: subtask.connection, .both)
            }
            let domains = Set(source.domains)
            let checkpoint = try replicator.appliedPosition(task).restricted(to: domains)
            let meta = MariaDBGTIDPosition(serverText: metaGTID)
            if removeMeta {
                try replicator.replaceCheckpoint(task, domains: domains.union(meta.domains), with: meta)
                record("checkpoint", task: name, source: sourceID, "--remove-meta: checkpoint reset to \"\(meta.dmText)\"")
            } else if checkpoint.isEmpty && !meta.isEmpty {
                try replicator.replaceCheckpoint(task, domains: meta.domains, with: meta)
                record("checkpoint", task: name, source: sourceID, "no checkpoint: starting from meta \"\(meta.dmText)\"")
            }
            try replicator.changeMaster(task, connection: subtask.connection, source: source)
            recordStart(task: name, source: sourceID)
            if usesRelay(sourceID) {
                if !source.relayPaused { try replicator.start(task, connection: subtask.connection, .io) }
                try replicator.start(task, connection: subtask.connection, .sql)
            } else {
                try replicator.start(task, connection: subtask.connection, .both)
            }
            record("subtask", task: name, source: sourceID,
                   "started: connection \(subtask.connection) replicates from \(source.from.address) by GTID")
        } catch {
            return SubtaskOutcome(source: sourceID, result: false, msg: Terror.workerError(error.description).description)
        }
        if let failure = waitUntilRunning(task: name, source: sourceID) {
            // The subtask exists (DM keeps it, Paused with the error); report the worker error.
            return SubtaskOutcome(source: sourceID, result: true, msg: failure)
        }
        return SubtaskOutcome(source: sourceID, result: true, msg: "")
    }
}
