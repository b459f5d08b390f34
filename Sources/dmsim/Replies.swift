import DM
/// The reply shapes of the dmctl commands dmsim answers, per DM version (dm-interface §3, §4, §6).
///
/// Field order is the proto field order (jsonpb) or the Go struct order (encoding/json);
/// int64 fields are strings, enums are names, unset messages are `null`.
enum Replies {
    /// `CommonWorkerResponse` (v2+) in jsonpb: every field present.
    static func worker(result: Bool, msg: String, source: String, worker: String) -> ReplyJSON {
        .object([("result", .bool(result)), ("msg", .string(msg)), ("source", .string(source)), ("worker", .string(worker))])
    }

    /// `CommonWorkerResponse` through encoding/json (batch replies): zero values omitted.
    static func workerOmittingEmpty(result: Bool, msg: String, source: String, worker: String) -> ReplyJSON {
        .omittingNil([("result", result ? .bool(true) : nil), ("msg", msg.isEmpty ? nil : .string(msg)),
                      ("source", source.isEmpty ? nil : .string(source)), ("worker", worker.isEmpty ? nil : .string(worker))])
    }

    /// v1 `CommonWorkerResponse`: `{result, worker, msg}`.
    static func v1Worker(result: Bool, worker: String, msg: String) -> ReplyJSON {
        .object([("result", .bool(result)), ("worker", .string(worker)), ("msg", .string(msg))])
    }

    /// `{result, msg, sources}` (OperateSource, StartTask without checkResult, …).
    static func resultWithSources(_ result: Bool, _ msg: String, _ sources: [ReplyJSON]) -> ReplyJSON {
        .object([("result", .bool(result)), ("msg", .string(msg)), ("sources", .array(sources))])
    }

    /// `OperateTaskResponse` / `OperateWorkerRelayResponse` (v2+): `{op, result, msg, sources}`.
    static func operation(_ op: String, _ result: Bool, _ msg: String, _ sources: [ReplyJSON]) -> ReplyJSON {
        .object([("op", .string(op)), ("result", .bool(result)), ("msg", .string(msg)), ("sources", .array(sources))])
    }

    /// A `ProcessError`: v2+ names the class/scope/level; v1 nests a numeric `TError`.
    static func processError(_ error: ProcessError, version: DMVersion) -> ReplyJSON {
        if version.isV1 {
            return .object([
                ("Type", .string("UnknownError")), ("msg", .string("")),
                ("error", .object([
                    ("ErrCode", .int(error.code)), ("ErrClass", .int(v1Number(forClass: error.errClass))),
                    ("ErrScope", .int(v1Number(forScope: error.scope))), ("ErrLevel", .int(v1Number(forLevel: error.level))),
                    ("Message", .string(error.message)), ("RawCause", .string(error.rawCause)),
                ])),
            ])
        }
        return .object([
            ("ErrCode", .int(error.code)), ("ErrClass", .string(error.errClass)), ("ErrScope", .string(error.scope)),
            ("ErrLevel", .string(error.level)), ("Message", .string(error.message)),
            ("RawCause", .string(error.rawCause)), ("Workaround", .string(error.workaround)),
        ])
    }

    /// `ProcessResult` or null.
    static func processResult(_ result: (isCanceled: Bool, errors: [ProcessError])?, version: DMVersion) -> ReplyJSON {
        guard let result else { return .null }
        return .object([("isCanceled", .bool(result.isCanceled)),
                        ("errors", .array(result.errors.map { processError($0, version: version) })),
                        ("detail", .null)])
    }

    /// `SyncStatus` with the fields of the configured release.
    static func sync(_ view: SubtaskView, version: DMVersion) -> ReplyJSON {
        var fields: [(String, ReplyJSON)] = [
            ("totalEvents", .int64(view.totalEvents)), ("totalTps", .int64(0)), ("recentTps", .int64(0)),
            ("masterBinlog", .string(view.masterBinlog)), ("masterBinlogGtid", .string(view.masterGTID)),
            ("syncerBinlog", .string(view.syncerBinlog)), ("syncerBinlogGtid", .string(view.syncerGTID)),
            ("blockingDDLs", .array([])), ("unresolvedGroups", .array([])), ("synced", .bool(view.synced)),
        ]
        if version.hasBinlogType { fields.append(("binlogType", .string(view.binlogType))) }
        if version.hasSecondsBehindMaster { fields.append(("secondsBehindMaster", .string(view.secondsBehind))) }
        if version.hasBlockDDLOwner { fields += [("blockDDLOwner", .string("")), ("conflictMsg", .string(""))] }
        if version.hasRowCounters {
            fields += [("totalRows", .int64(view.totalEvents)), ("totalRps", .int64(0)), ("recentRps", .int64(0))]
        }
        return .object(fields)
    }

    /// `SubTaskStatus` with the `sync` member of its oneof.
    static func subtask(_ view: SubtaskView, version: DMVersion) -> ReplyJSON {
        var fields: [(String, ReplyJSON)] = [
            ("name", .string(view.name)), ("stage", .string(view.stage)), ("unit", .string("Sync")),
            ("result", processResult(view.result, version: version)), ("unresolvedDDLLockID", .string("")),
            ("sync", sync(view, version: version)),
        ]
        if version.hasValidation { fields.append(("validation", .null)) }
        return .object(fields)
    }

    /// The element a worker returns for a named task it does not run.
    static func missingSubtask(_ task: String, version: DMVersion) -> ReplyJSON {
        var fields: [(String, ReplyJSON)] = [
            ("name", .string(task)), ("stage", .string("InvalidStage")), ("unit", .string("InvalidUnit")),
            ("result", .null), ("unresolvedDDLLockID", .string("")),
            ("msg", .string("no sub task with name \(task) has started")),
        ]
        if version.hasValidation { fields.append(("validation", .null)) }
        return .object(fields)
    }

    /// `RelayStatus` or null.
    static func relay(_ view: RelayView?, version: DMVersion) -> ReplyJSON {
        guard let view else { return .null }
        let result: ReplyJSON = view.errors.isEmpty ? .null
            : processResult((false, view.errors), version: version)
        return .object([
            ("masterBinlog", .string(view.masterBinlog)), ("masterBinlogGtid", .string(view.masterGTID)),
            ("relaySubDir", .string(view.subDir)), ("relayBinlog", .string(view.relayBinlog)),
            ("relayBinlogGtid", .string(view.relayGTID)),
            ("relayCatchUpMaster", .bool(!view.masterGTID.isEmpty && view.masterGTID == view.relayGTID)),
            ("stage", .string(view.stage)), ("result", result),
        ])
    }

    /// v1 `ErrClass`/`ErrScope`/`ErrLevel` numbers [derived from DM v1's terror enums].
    private static func v1Number(forClass name: String) -> Int {
        ["database": 1, "functional": 2, "config": 3, "binlog-op": 4, "checkpoint": 5, "task-check": 6,
         "relay-event-lib": 7, "relay-unit": 8, "dump-unit": 9, "load-unit": 10, "sync-unit": 11,
         "dm-master": 12, "dm-worker": 13][name] ?? 0
    }

    private static func v1Number(forScope name: String) -> Int {
        ["not-set": 0, "upstream": 1, "downstream": 2, "internal": 3][name] ?? 0
    }

    private static func v1Number(forLevel name: String) -> Int {
        ["low": 1, "medium": 2, "high": 3][name] ?? 0
    }
}
