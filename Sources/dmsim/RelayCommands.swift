/// `pause-relay`, `resume-relay` (v2+: `-s`, v1: `-w`) and v1 `switch-relay-master`
/// (dm-interface §3.7, §6.3). The relay of a source is the IO threads of its subtask
/// connections: pausing it stops them, so nothing is read from the upstream.
extension SimContext {
    func operateRelay(_ command: String, _ invocation: Invocation) -> CommandReply {
        let pause = command == "pause-relay"
        let op = pause ? "PauseRelay" : "ResumeRelay"
        if version.isV1 {
            guard !invocation.workers.isEmpty else { return Usage.error(command, version: version) }
            let items = Set(invocation.workers).sorted().map { address -> ReplyJSON in
                let outcome = relayOperation(pause: pause, worker: address)
                return .object([("op", .string(op)), ("result", .bool(outcome.result)),
                                ("worker", .string(address)), ("msg", .string(outcome.msg))])
            }
            return .json(.object([("op", .string(op)), ("result", .bool(true)), ("msg", .string("")), ("workers", .array(items))]))
        }
        guard !invocation.sources.isEmpty else { return Usage.error(command, version: version) }
        let unknown = invocation.sources.filter { state.sources[$0] == nil }
        if !unknown.isEmpty {
            return .json(Replies.operation(op, false, "sources \(Terror.goList(unknown)) haven't been added", []))
        }
        let items = Set(invocation.sources).sorted().map { sourceID -> ReplyJSON in
            let outcome = state.sources[sourceID]?.relayReported(version) ?? false
                ? relayOperation(pause: pause, source: sourceID)
                : SubtaskOutcome(source: sourceID, result: false,
                                 msg: Terror.workerError("relay is disabled for this source").description)
            return Replies.worker(result: outcome.result, msg: outcome.msg, source: sourceID, worker: worker(of: sourceID))
        }
        return .json(Replies.operation(op, true, "", items))
    }

    private func relayOperation(pause: Bool, worker address: String) -> SubtaskOutcome {
        guard let sourceID = state.v1Workers[address] else {
            return SubtaskOutcome(source: "", result: false, msg: "worker \(address) relevant worker-client not found")
        }
        return relayOperation(pause: pause, source: sourceID)
    }

    private func relayOperation(pause: Bool, source sourceID: String) -> SubtaskOutcome {
        do {
            for task in state.tasks.values.sorted(by: { $0.name < $1.name }) {
                guard let subtask = task.subtasks[sourceID] else { continue }
                if pause {
                    try replicator.stop(task, connection: subtask.connection, .io)
                } else {
                    recordStart(task: task.name, source: sourceID)
                    try replicator.start(task, connection: subtask.connection, .io)
                }
            }
        } catch {
            return SubtaskOutcome(source: sourceID, result: false, msg: Terror.workerError(error.description).description)
        }
        state.sources[sourceID]?.relayPaused = pause
        record("relay", source: sourceID, pause ? "relay paused (IO threads stopped)" : "relay resumed (IO threads started)")
        return SubtaskOutcome(source: sourceID, result: true, msg: "")
    }

    /// v1 `switch-relay-master -w W`: re-resolve the upstream behind the worker's address.
    ///
    /// Requires the relay to be paused (`ErrWorkerRelayStageNotValid`) and GTID mode
    /// (`ErrRelaySwitchMasterNeedGTID`); re-points every subtask connection of the source
    /// (`CHANGE MASTER` with the same address reaches the server now behind it) and starts
    /// the next relay sub-directory, as DM's `reSetupMeta`/`AddDir` does.
    func switchRelayMaster(_ invocation: Invocation) -> CommandReply {
        guard version.isV1 else {
            return .failure("unknown command \"switch-relay-master\" for \"dmctl\"\nRun 'dmctl --help' for usage.")
        }
        guard !invocation.workers.isEmpty else { return Usage.error("switch-relay-master", version: version) }
        let items = Set(invocation.workers).sorted().map { address -> ReplyJSON in
            let outcome = switchRelay(worker: address)
            return Replies.v1Worker(result: outcome.result, worker: address, msg: outcome.msg)
        }
        return .json(.object([("result", .bool(true)), ("msg", .string("")), ("workers", .array(items))]))
    }

    private func switchRelay(worker address: String) -> SubtaskOutcome {
        guard let sourceID = state.v1Workers[address], let source = state.sources[sourceID] else {
            return SubtaskOutcome(source: "", result: false, msg: "worker \(address) relevant worker-client not found")
        }
        // DM checks the relay's stage, and a relay whose upstream failed is Paused by that
        // error: it switches too. Here its IO threads still retry, so they stop first
        // (CHANGE MASTER needs them stopped) and the relay counts as paused from now on.
        let stage = relayView(sourceID, statuses: downstreamStatuses().byTask)?.stage ?? "Running"
        guard source.relayPaused || stage == "Paused" else {
            return SubtaskOutcome(source: sourceID, result: false,
                                  msg: "[code=40039:class=dm-worker:scope=internal:level=high], Message: current stage is \(stage), Paused required, relay op SwitchMaster")
        }
        guard source.enableGTID else {
            return SubtaskOutcome(source: sourceID, result: false,
                                  msg: "[code=30037:class=relay-unit:scope=internal:level=high], Message: can only switch relay's master server when GTID enabled, Workaround: Please enable GTID in worker configuration file.")
        }
        forgetObservations()
        do {
            for task in state.tasks.values.sorted(by: { $0.name < $1.name }) {
                guard let subtask = task.subtasks[sourceID] else { continue }
                let status = try replicator.status(task, connection: subtask.connection)
                let sqlRunning = status?.sqlRunning ?? false
                if status?.ioRunning == true { try replicator.stop(task, connection: subtask.connection, .io) }
                if sqlRunning { try replicator.stop(task, connection: subtask.connection, .sql) }
                try replicator.changeMaster(task, connection: subtask.connection, source: source)
                if sqlRunning { try replicator.start(task, connection: subtask.connection, .sql) }
                recordStart(task: task.name, source: sourceID, noteRelay: false)
            }
        } catch {
            return SubtaskOutcome(source: sourceID, result: false, msg: Terror.workerError(error.description).description)
        }
        state.sources[sourceID]?.relayPaused = true
        if case .success(let view) = observe(sourceID) {
            noteIdentity(sourceID, view.identity, forceNew: true)
        }
        record("relay", source: sourceID, "relay switched to the server now at \(source.from.address)")
        return SubtaskOutcome(source: sourceID, result: true, msg: "")
    }
}
