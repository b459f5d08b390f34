import GTID

/// What DM reports about one task on one source: one element of `subTaskStatus`, together
/// with the relay state of the worker that runs it.
///
/// Fields carry the design's vocabulary so the daemon can map them to the core's task input
/// one to one: gtid-S is `syncerGTID` (DM v2+; the flushed checkpoint, so it may lag, which
/// keeps the safety checks conservative) or `relayGTID` (DM v1.0, whose `syncerBinlogGtid` is
/// always empty and is therefore reported as `nil` here).
public struct DMTaskStatus: Hashable, Sendable {
    /// The task name.
    public var name: String
    /// The DM source (`source-id`) of this subtask.
    public var source: String
    /// The DM-worker running it: a worker name in v2+, `host:port` in v1.0.
    public var worker: String
    public var stage: DMStage
    public var unit: DMUnit
    /// The errors of the subtask (`result.errors`); empty when `result` is `null`.
    public var errors: [DMProcessError]
    /// The subtask's `msg` (e.g. "no sub task with name t1 has started"), if it printed one
    /// instead of a unit status.
    public var message: String?
    /// gtid-S in DM v2+: `sync.syncerBinlogGtid`. `nil` outside the Sync unit, in DM v1.0, or
    /// when the text was empty and the flavor unknown.
    public var syncerGTID: GTIDValue?
    /// `sync.syncerBinlogGtid` exactly as DM printed it, `nil` outside the Sync unit.
    public var syncerGTIDText: String?
    /// `sync.masterBinlogGtid`: what the upstream had executed when DM last looked.
    public var upstreamGTID: GTIDValue?
    /// `sync.syncerBinlog`, the flushed checkpoint position `"(file, pos)"`.
    public var syncerBinlog: String?
    /// `sync.synced`; `nil` outside the Sync unit.
    public var synced: Bool?
    /// `sync.secondsBehindMaster` (DM v2.0.4+); `nil` when absent.
    public var secondsBehind: Int64?
    /// Whether the worker runs a relay for the source (`relayStatus` is not `null`; always in v1.0).
    public var relayEnabled: Bool
    /// The relay's stage, when relay is enabled.
    public var relayStage: DMStage?
    /// `relayStatus.relayBinlogGtid`: what the relay has received; gtid-S in DM v1.0.
    public var relayGTID: GTIDValue?
    /// The relay sub-directory, identifying the upstream the relay reads from.
    public var relaySubDir: DMRelaySubDir?
    /// The relay's errors.
    public var relayErrors: [DMProcessError]
    /// Source-level errors of the worker (`sourceStatus.result`), e.g. it cannot reach the upstream.
    public var sourceErrors: [DMProcessError]

    public init(
        name: String, source: String, worker: String, stage: DMStage, unit: DMUnit,
        errors: [DMProcessError] = [], message: String? = nil, syncerGTID: GTIDValue? = nil,
        syncerGTIDText: String? = nil, upstreamGTID: GTIDValue? = nil, syncerBinlog: String? = nil,
        synced: Bool? = nil, secondsBehind: Int64? = nil, relayEnabled: Bool = false,
        relayStage: DMStage? = nil, relayGTID: GTIDValue? = nil, relaySubDir: DMRelaySubDir? = nil,
        relayErrors: [DMProcessError] = [], sourceErrors: [DMProcessError] = []
    ) {
        self.name = name
        self.source = source
        self.worker = worker
        self.stage = stage
        self.unit = unit
        self.errors = errors
        self.message = message
        self.syncerGTID = syncerGTID
        self.syncerGTIDText = syncerGTIDText
        self.upstreamGTID = upstreamGTID
        self.syncerBinlog = syncerBinlog
        self.synced = synced
        self.secondsBehind = secondsBehind
        self.relayEnabled = relayEnabled
        self.relayStage = relayStage
        self.relayGTID = relayGTID
        self.relaySubDir = relaySubDir
        self.relayErrors = relayErrors
        self.sourceErrors = sourceErrors
    }
}

/// The relay state of one worker for one source (`relayStatus`, dm-interface §4.1).
public struct DMRelayStatus: Hashable, Sendable {
    public var stage: DMStage
    /// `masterBinlog`: the upstream's binlog position `"(file, pos)"` from `SHOW MASTER STATUS`.
    public var upstreamBinlog: String
    /// `masterBinlogGtid`: the upstream's executed GTIDs as the worker last read them.
    public var upstreamGTID: GTIDValue?
    /// `relayBinlog`: the relay's position `"(file, pos)"`.
    public var relayBinlog: String
    /// `relayBinlogGtid`: what the relay has received.
    public var relayGTID: GTIDValue?
    /// `relayBinlogGtid` exactly as DM printed it.
    public var relayGTIDText: String
    /// `relaySubDir`, parsed; `nil` while the relay has no sub-directory yet.
    public var subDir: DMRelaySubDir?
    /// `relayCatchUpMaster`: DM's own string comparison of the two GTID sets.
    public var caughtUp: Bool
    public var errors: [DMProcessError]

    public init(
        stage: DMStage, upstreamBinlog: String = "", upstreamGTID: GTIDValue? = nil, relayBinlog: String = "",
        relayGTID: GTIDValue? = nil, relayGTIDText: String = "", subDir: DMRelaySubDir? = nil,
        caughtUp: Bool = false, errors: [DMProcessError] = []
    ) {
        self.stage = stage
        self.upstreamBinlog = upstreamBinlog
        self.upstreamGTID = upstreamGTID
        self.relayBinlog = relayBinlog
        self.relayGTID = relayGTID
        self.relayGTIDText = relayGTIDText
        self.subDir = subDir
        self.caughtUp = caughtUp
        self.errors = errors
    }
}

/// One element of `query-status`'s `sources[]` (v2+) or `workers[]` (v1.0): what one worker
/// said about one source.
///
/// `result == false` with an empty `worker` is how DM says the source has no worker (unbound
/// or offline): a status the runbook must see, not a failed command.
public struct DMSourceReport: Hashable, Sendable {
    /// The `source-id` (v2+ `sourceStatus.source`, v1.0 `sourceID`).
    public var source: String
    /// The worker name (v2+) or address (v1.0); empty when the source has no worker.
    public var worker: String
    /// Whether this worker answered (`result`).
    public var result: Bool
    /// The element's `msg`, e.g. "… relevant worker-client not found" or "no sub task started".
    public var message: String?
    /// Source-level errors (`sourceStatus.result`).
    public var sourceErrors: [DMProcessError]
    /// The relay, or `nil` when relay is not enabled on this worker.
    public var relay: DMRelayStatus?
    /// The subtasks this worker runs for the source.
    public var tasks: [DMTaskStatus]

    public init(
        source: String, worker: String, result: Bool, message: String? = nil,
        sourceErrors: [DMProcessError] = [], relay: DMRelayStatus? = nil, tasks: [DMTaskStatus] = []
    ) {
        self.source = source
        self.worker = worker
        self.result = result
        self.message = message
        self.sourceErrors = sourceErrors
        self.relay = relay
        self.tasks = tasks
    }

    /// Whether DM named no worker for the source (not bound, or the worker is offline).
    public var hasWorker: Bool { !worker.isEmpty }
}

/// A full `query-status` reply.
public struct DMStatusReport: Hashable, Sendable {
    /// The top-level `result`.
    public var result: Bool
    /// The top-level `msg`.
    public var message: String?
    /// One element per worker and source, sorted by source as DM sorts them.
    public var sources: [DMSourceReport]

    public init(result: Bool, message: String? = nil, sources: [DMSourceReport]) {
        self.result = result
        self.message = message
        self.sources = sources
    }

    /// Every subtask in the reply.
    public var tasks: [DMTaskStatus] { sources.flatMap(\.tasks) }

    /// The subtasks of one task.
    public func tasks(named name: String) -> [DMTaskStatus] { tasks.filter { $0.name == name } }

    /// The elements for one source.
    public func reports(forSource source: String) -> [DMSourceReport] { sources.filter { $0.source == source } }
}
