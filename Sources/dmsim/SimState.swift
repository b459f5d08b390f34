import DM
/// Everything dmsim remembers between invocations, kept in `state.json`.
///
/// The *real* state of each subtask lives on the servers (the replication connection on the
/// downstream and its `gtid_slave_pos` checkpoint); this file holds what DM-master would keep
/// in etcd: sources and their bound workers, tasks with their subtasks' expected stages, and
/// the upstream identity each running subtask was started against (for violation detection).
struct SimState: Codable, Equatable {
    var sources: [String: SourceRecord] = [:]
    var tasks: [String: TaskRecord] = [:]
    /// v1 only: worker address → source-id (`sim-add-worker`).
    var v1Workers: [String: String] = [:]

    static let fileName = "state.json"
}

/// A source created by `operate-source create` (v2+) or a v1 worker's upstream.
struct SourceRecord: Codable, Equatable {
    var id: String
    var from: DBEndpoint
    var enableGTID: Bool
    var enableRelay: Bool
    var flavor: String
    /// The bound worker's name (v2+) or address (v1).
    var worker: String?
    /// Relay paused by `pause-relay` (relay-enabled sources and v1).
    var relayPaused = false
    /// Relay sub-directories in order (`<domain>-<server_id>.NNNNNN`); the last is current.
    var relaySubDirs: [String] = []
    /// GTID domains seen on the upstream; `syncerBinlogGtid` is restricted to them.
    var domains: [UInt32] = []
    /// Last `SHOW MASTER STATUS` seen, reported while the upstream cannot be reached.
    var lastMasterBinlog = ""
    var lastMasterGTID = ""
    /// Last relay position seen, reported while no subtask connection exists.
    var lastRelayBinlog = ""
    var lastRelayGTID = ""

    /// Relay status is reported for v1 and for relay-enabled v2+ sources.
    func relayReported(_ version: DMVersion) -> Bool { version.isV1 || enableRelay }
}

/// A task: its target database and one subtask per source.
struct TaskRecord: Codable, Equatable {
    var name: String
    var target: DBEndpoint
    var subtasks: [String: SubtaskRecord] = [:]
}

/// The expected stage DM-master records for a subtask.
enum ExpectedStage: String, Codable, Equatable {
    case running = "Running"
    case paused = "Paused"
}

/// One subtask = one MariaDB multi-source replication connection on the task's target.
struct SubtaskRecord: Codable, Equatable {
    var source: String
    /// The replication connection's name on the downstream.
    var connection: String
    var expected: ExpectedStage
    /// `@@server_id` reached through the source address when the subtask was last started
    /// or resumed; nil when the upstream could not be reached then (adopted on first sight).
    var startedServerID: UInt32?
    var startedAddress: String
    /// The server_id a violation was last flagged for, so one hazard is reported once.
    var flaggedServerID: UInt32?

    /// `task.source`: names are unique per downstream because tasks own their target.
    static func connectionName(task: String, source: String) -> String { "\(task).\(source)" }
}
