import GTID

/// What DM reports about one group's source: its tasks and the source itself.
///
/// The daemon maps the DM module's `query-status` (and source) results into this type.
public struct DMStatus: Hashable, Sendable {
    /// Every task with a subtask on the group's source.
    public var tasks: [TaskStatus]
    /// The source as DM knows it, or nil when DM has no such source (after
    /// `operate-source stop`).
    public var source: SourceStatus?

    public init(tasks: [TaskStatus], source: SourceStatus?) {
        self.tasks = tasks
        self.source = source
    }

    /// The task with this name, if DM reports it on the source.
    public func task(named name: String) -> TaskStatus? {
        tasks.first { $0.name == name }
    }
}

/// One task's subtask on the group's source (`query-status <task>`, dm-interface.md §4).
public struct TaskStatus: Hashable, Sendable {
    public var name: String
    public var source: String
    public var stage: TaskStage
    /// `Sync`, `Load`, `Dump`, …: only a task in `Sync` has a meaningful gtid-S.
    public var unit: String
    public var errors: [TaskError]
    /// `syncerBinlogGtid`: the flushed checkpoint (always empty in DM v1.0).
    public var syncerGTID: GTIDValue?
    /// `relayBinlogGtid`: what the relay has pulled from the upstream, when relay runs.
    public var relayGTID: GTIDValue?
    public var relayEnabled: Bool

    public init(
        name: String, source: String, stage: TaskStage, unit: String = "Sync",
        errors: [TaskError] = [], syncerGTID: GTIDValue?, relayGTID: GTIDValue? = nil,
        relayEnabled: Bool = false
    ) {
        self.name = name
        self.source = source
        self.stage = stage
        self.unit = unit
        self.errors = errors
        self.syncerGTID = syncerGTID
        self.relayGTID = relayGTID
        self.relayEnabled = relayEnabled
    }
}

/// DM's `Stage` enum, by name (dm-interface.md §4.1 "Stage enum").
public enum TaskStage: String, Hashable, Sendable, CaseIterable {
    case invalid = "InvalidStage"
    case new = "New"
    case running = "Running"
    case paused = "Paused"
    case stopped = "Stopped"
    case finished = "Finished"
    case pausing = "Pausing"
    case resuming = "Resuming"
    case stopping = "Stopping"
}

/// One `ProcessError` of a subtask: DM's error code and message.
public struct TaskError: Hashable, Sendable {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }
}

/// The source as DM knows it.
public struct SourceStatus: Hashable, Sendable {
    public var sourceID: String
    /// `from.host`/`from.port` of the source DM has registered, when known.
    public var address: InstanceAddress?
    /// `relayStatus.stage`, or nil when relay does not run for the source.
    public var relayStage: TaskStage?
    /// `relayStatus.relaySubDir` (`<server identity>.<suffix>`): tells which server the relay
    /// reads from (dm-interface.md §4.2).
    public var relaySubDir: String?
    /// `relayStatus.result.errors`: a relay Paused with errors was stopped by a failure, not by
    /// `pause-relay`, and DM's task checker resumes it by itself (dm-interface.md §8.2).
    public var relayErrors: [TaskError]

    public init(
        sourceID: String, address: InstanceAddress? = nil, relayStage: TaskStage? = nil,
        relaySubDir: String? = nil, relayErrors: [TaskError] = []
    ) {
        self.sourceID = sourceID
        self.address = address
        self.relayStage = relayStage
        self.relaySubDir = relaySubDir
        self.relayErrors = relayErrors
    }

    /// True when the relay sub-directory names this server identity. The trailing dot matters:
    /// MariaDB identity `0-1` must not match sub-directory `0-10.000001` (dm-interface.md §8.2).
    public func relayReads(from identity: String) -> Bool {
        relaySubDir?.hasPrefix(identity + ".") ?? false
    }
}
