/// A DM "terror": the coded error text DM puts into `msg` fields and `Error:` lines.
///
/// Format (DM `pkg/terror` `Error()`):
/// `[code=46018:class=scheduler:scope=internal:level=medium], Message: …, RawCause: …, Workaround: …`.
/// The codes and texts below are the ones in DM's published error catalog; clients match on
/// the code, so they must be exact.
struct Terror: Error, Equatable, CustomStringConvertible {
    var code: Int
    var errClass: String
    var scope: String
    var level: String
    var message: String
    var rawCause: String?
    var workaround: String?

    var description: String {
        var text = "[code=\(code):class=\(errClass):scope=\(scope):level=\(level)]"
        if !message.isEmpty { text += ", Message: \(message)" }
        if let rawCause { text += ", RawCause: \(rawCause)" }
        if let workaround { text += ", Workaround: \(workaround)" }
        return text
    }

    // MARK: The catalog entries dmsim produces

    /// 46007 ErrSchedulerSourceCfgExist.
    static func sourceConfigExists(_ source: String) -> Terror {
        Terror(code: 46007, errClass: "scheduler", scope: "internal", level: "medium",
               message: "source config with ID \(source) already exists")
    }

    /// 46008 ErrSchedulerSourceCfgNotExist.
    static func sourceConfigNotExists(_ source: String) -> Terror {
        Terror(code: 46008, errClass: "scheduler", scope: "internal", level: "medium",
               message: "source config with ID \(source) not exists")
    }

    /// 46010 ErrSchedulerSourceOpTaskExist: `operate-source stop` while subtasks remain.
    static func sourceHasTasks(_ source: String, tasks: [String]) -> Terror {
        Terror(code: 46010, errClass: "dm-master", scope: "internal", level: "medium",
               message: "source with name \(source) need to operate has existing tasks \(goList(tasks))",
               workaround: "Please `stop-task` first.")
    }

    /// 46014 ErrSchedulerSubTaskExist: `start-task` for subtasks that already exist.
    static func subtasksExist(_ task: String, sources: [String]) -> Terror {
        Terror(code: 46014, errClass: "scheduler", scope: "internal", level: "medium",
               message: "subtasks with name \(task) for sources \(goList(sources)) already exist",
               workaround: "Please use `query-status` command to see tasks.")
    }

    /// 46018 ErrSchedulerTaskNotExist.
    static func taskNotExist(_ task: String) -> Terror {
        Terror(code: 46018, errClass: "scheduler", scope: "internal", level: "medium",
               message: "task with name \(task) not exist",
               workaround: "Please use `query-status` command to see tasks.")
    }

    /// 38029 ErrMasterWorkerArgsExtractor (its text is built from 38021's message).
    static func workerClientNotFound(_ source: String) -> Terror {
        Terror(code: 38029, errClass: "dm-master", scope: "internal", level: "high",
               message: "\(source) relevant worker-client not found",
               workaround: "Please use list-member command to see if the some workers are offline.")
    }

    /// 38032 ErrMasterOperRespNotSuccess: a worker-side failure folded into a per-source `msg`.
    static func workerError(_ detail: String) -> Terror {
        Terror(code: 38032, errClass: "dm-master", scope: "internal", level: "high",
               message: "some error occurs in dm-worker: \(detail)",
               workaround: "Please execute `query-status` to check status.")
    }

    /// 48001 ErrCtlGRPCCreateConn: dmctl could not reach any master.
    static func cannotConnect(_ addresses: String) -> Terror {
        Terror(code: 48001, errClass: "dmctl", scope: "internal", level: "high",
               message: "can't connect to \(addresses): can not create grpc connection",
               rawCause: "context deadline exceeded",
               workaround: "Please check your network connection.")
    }

    /// Go's `%v` of a string slice: `[a b]`.
    static func goList(_ items: [String]) -> String { "[" + items.joined(separator: " ") + "]" }
}

/// One element of a `ProcessResult.errors` list (`ProcessError`), with DM's codes.
struct ProcessError: Equatable {
    var code: Int
    var errClass: String
    var scope: String
    var level: String
    var message: String
    var rawCause: String
    var workaround: String

    /// 36069 ErrSyncerGetEvent: the binlog stream failed (MySQL error 1236 and friends).
    static func getEvent(_ cause: String) -> ProcessError {
        ProcessError(code: 36069, errClass: "sync-unit", scope: "upstream", level: "high",
                     message: "get binlog event error: \(cause)", rawCause: cause,
                     workaround: "Please check if the binlog file could be parsed by `mysqlbinlog`.")
    }

    /// 10006 ErrDBExecuteFailed: applying a replicated statement downstream failed.
    static func executeFailed(_ cause: String) -> ProcessError {
        ProcessError(code: 10006, errClass: "database", scope: "not-set", level: "high",
                     message: "execute statement failed: \(cause)", rawCause: cause, workaround: "")
    }
}
