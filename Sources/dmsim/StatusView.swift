import GTID
/// What query-status reports for one subtask, derived from the real replication connection.
struct SubtaskView {
    var name: String
    var stage: String
    /// nil prints as `"result": null`.
    var result: (isCanceled: Bool, errors: [ProcessError])?
    var masterBinlog: String
    var masterGTID: String
    var syncerBinlog: String
    var syncerGTID: String
    var synced: Bool
    var secondsBehind: String
    var totalEvents: Int
    var binlogType: String

    var hasErrors: Bool { !(result?.errors.isEmpty ?? true) }
}

/// What query-status reports for a source's relay.
struct RelayView {
    var masterBinlog: String
    var masterGTID: String
    var subDir: String
    var relayBinlog: String
    var relayGTID: String
    var stage: String
    var errors: [ProcessError]
}

/// Turns MariaDB replication state into DM stages and errors.
enum StageMapping {
    /// DM's text for a failed binlog stream: `ERROR 1236 (HY000): <server message>`.
    ///
    /// MariaDB's `Last_IO_Error` wraps the master's message as
    /// `Got fatal error 1236 from master when reading data from binary log: '<message>'`;
    /// DM (go-mysql) shows the master's own error, so the wrapper is removed.
    static func streamError(errno: Int, text: String) -> ProcessError {
        var message = text
        if let range = text.range(of: "binary log: '") {
            message = String(text[range.upperBound...])
            if message.hasSuffix("'") { message.removeLast() }
        }
        return .getEvent("ERROR \(errno) (HY000): \(message)")
    }

    static func applyError(errno: Int, text: String) -> ProcessError {
        .executeFailed("Error \(errno): \(text)")
    }

    /// The subtask's stage: Paused by command (canceled), Paused with the connection's error,
    /// or Running. With relay, the subtask is the SQL thread only.
    static func subtaskStage(expected: ExpectedStage, status: ConnectionStatus?, relay: Bool)
        -> (stage: String, result: (isCanceled: Bool, errors: [ProcessError])?) {
        guard let status else {
            return ("Paused", (false, [.getEvent("the replication connection of this subtask is missing on the downstream")]))
        }
        if expected == .paused { return ("Paused", (true, [])) }
        if status.lastSQLErrno != 0 && !status.sqlRunning {
            return ("Paused", (false, [applyError(errno: status.lastSQLErrno, text: status.lastSQLError)]))
        }
        if !relay && status.lastIOErrno != 0 && !status.ioReading {
            return ("Paused", (false, [streamError(errno: status.lastIOErrno, text: status.lastIOError)]))
        }
        if !status.sqlRunning || (!relay && !status.ioRunning) {
            return ("Paused", (false, []))
        }
        return ("Running", nil)
    }

    static func relayStage(paused: Bool, status: ConnectionStatus?) -> (String, [ProcessError]) {
        if paused { return ("Paused", []) }
        guard let status else { return ("Running", []) }
        if status.lastIOErrno != 0 && !status.ioReading {
            return ("Paused", [streamError(errno: status.lastIOErrno, text: status.lastIOError)])
        }
        return (status.ioRunning ? "Running" : "Paused", [])
    }
}

extension SimContext {
    /// Builds the view of one subtask from the servers (downstream status, checkpoint, upstream).
    func subtaskView(task: TaskRecord, subtask: SubtaskRecord, statuses: [String: ConnectionStatus]?) -> SubtaskView {
        let relay = usesRelay(subtask.source)
        let status = statuses?[subtask.connection.lowercased()]
        var (stage, result) = StageMapping.subtaskStage(expected: subtask.expected, status: status, relay: relay)
        if statuses == nil {
            stage = "Paused"
            result = (false, [.executeFailed("the downstream \(task.target.address) cannot be reached")])
        }
        _ = observe(subtask.source)
        let source = state.sources[subtask.source]
        let domains = Set(source?.domains ?? [])
        let applied = (try? replicator.appliedPosition(task))?.restricted(to: domains)
        let syncerGTID = version.isV1 ? "" : applied?.dmText ?? ""
        let masterGTID = source?.lastMasterGTID ?? ""
        let masterBinlog = source?.lastMasterBinlog ?? ""
        let syncerBinlog = status.map { $0.relayMasterLogFile.isEmpty ? "" : "(\($0.relayMasterLogFile), \($0.execMasterLogPos))" } ?? ""
        let synced = version.isV1
            ? (!masterBinlog.isEmpty && masterBinlog == syncerBinlog)
            : (applied != nil && MariaDBGTIDPosition(serverText: masterGTID).restricted(to: domains).dmText == syncerGTID)
        let total = Int(clamping: applied?.transactionCount ?? 0)
        return SubtaskView(name: task.name, stage: stage, result: result, masterBinlog: masterBinlog,
                           masterGTID: masterGTID, syncerBinlog: syncerBinlog, syncerGTID: syncerGTID,
                           synced: synced, secondsBehind: status?.secondsBehindMaster ?? "0",
                           totalEvents: total, binlogType: relay ? "local" : "remote")
    }

    /// Builds the relay view of a source from the first subtask connection that reads it.
    func relayView(_ sourceID: String, statuses: [String: [String: ConnectionStatus]]) -> RelayView? {
        guard var source = state.sources[sourceID], source.relayReported(version) else { return nil }
        _ = observe(sourceID)
        source = state.sources[sourceID] ?? source
        var status: ConnectionStatus?
        for task in state.tasks.values.sorted(by: { $0.name < $1.name }) {
            guard let subtask = task.subtasks[sourceID],
                  let found = statuses[task.name]?[subtask.connection.lowercased()] else { continue }
            if status == nil || (found.ioReading && !(status?.ioReading ?? false)) { status = found }
        }
        if let status {
            // DM v2+ relay follows a new server by itself (new sub-directory); v1 needs
            // `switch-relay-master` for that.
            if status.ioReading && !version.isV1 {
                let domain = (try? observe(sourceID).get().domainID) ?? source.domains.first ?? 0
                noteIdentity(sourceID, "\(domain)-\(status.masterServerID)", forceNew: false)
            }
            source = state.sources[sourceID] ?? source
            if !status.masterLogFile.isEmpty { source.lastRelayBinlog = "(\(status.masterLogFile), \(status.readMasterLogPos))" }
            source.lastRelayGTID = MariaDBGTIDPosition(serverText: status.gtidIOPos).restricted(to: Set(source.domains)).dmText
            state.sources[sourceID] = source
        }
        let (stage, errors) = StageMapping.relayStage(paused: source.relayPaused, status: status)
        return RelayView(masterBinlog: source.lastMasterBinlog, masterGTID: source.lastMasterGTID,
                         subDir: source.relaySubDirs.last ?? "", relayBinlog: source.lastRelayBinlog,
                         relayGTID: source.lastRelayGTID, stage: stage, errors: errors)
    }
}
