/// Parses the replies of dmctl's mutating commands into `DMOperationReply` and `DMBatchReply`.
public enum DMOperationParser {
    /// Parses an `OperateTask`, `OperateSource`, `OperateWorkerRelay`, v1.0
    /// `SwitchWorkerRelayMaster` or `StartTask` reply (without `start-task`'s invalid-JSON case;
    /// see `parseStartTask`). `expected` names the reply for errors, e.g. "pause-task reply".
    public static func parse(_ output: String, expected: String) throws(DMOutputError) -> DMOperationReply {
        let root = try DMCtlJSON.decode(output, expected: expected)
        do {
            return try reply(root)
        } catch {
            throw error.output(output, expected: expected)
        }
    }

    /// Parses a batch `pause-task|resume-task|stop-task -s SOURCE` reply.
    public static func parseBatch(_ output: String, expected: String) throws(DMOutputError) -> DMBatchReply {
        let root = try DMCtlJSON.decode(output, expected: expected)
        do {
            var tasks: [DMBatchReply.TaskReply] = []
            for element in try root.array("tasks") {
                tasks.append(DMBatchReply.TaskReply(task: try element.string("task"), reply: try reply(element)))
            }
            return DMBatchReply(result: try root.bool("result"), message: try root.message("msg"), tasks: tasks)
        } catch {
            throw error.output(output, expected: expected)
        }
    }

    static func reply(_ root: JSONCursor) throws(JSONShapeError) -> DMOperationReply {
        guard try root.optional("result") != nil else {
            // Without `result` this is not a reply at all (a `null` or absent top-level result
            // never comes from dmctl), so it must not be read as a quiet "false".
            throw JSONShapeError(path: "result", problem: "is missing")
        }
        var members: [DMMemberOutcome] = []
        let hasSources = try root.has("sources")
        let elements = try root.array(hasSources ? "sources" : "workers")
        for element in elements {
            members.append(try member(element))
        }
        return DMOperationReply(
            operation: try root.message("op"), result: try root.bool("result"), message: try root.message("msg"),
            members: members, checkResult: try root.message("checkResult"))
    }

    /// One member: v2+ `{result, msg, source, worker}`, v1.0 `{result, worker, msg}` or v1.0
    /// OperateTask's `{"meta": {result, worker, msg}, "op", "logID"}`.
    static func member(_ element: JSONCursor) throws(JSONShapeError) -> DMMemberOutcome {
        let body = try element.optionalObject("meta") ?? element
        return DMMemberOutcome(
            source: try body.message("source"), worker: try body.message("worker"),
            result: try body.bool("result"), message: try body.message("msg"))
    }
}
