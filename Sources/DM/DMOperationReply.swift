/// What one source or worker answered to a mutating command: one element of `sources[]`
/// (v2+ `CommonWorkerResponse`) or `workers[]` (v1.0).
public struct DMMemberOutcome: Hashable, Sendable, CustomStringConvertible {
    /// The `source-id`, when DM named one.
    public var source: String?
    /// The worker name (v2+) or address (v1.0), when DM named one.
    public var worker: String?
    /// The element's `result`; a missing `result` is false (`omitempty` drops false values).
    public var result: Bool
    /// The element's `msg`, e.g. `[code=38032:…] some error occurs in dm-worker: …`.
    public var message: String?

    public init(source: String? = nil, worker: String? = nil, result: Bool, message: String? = nil) {
        self.source = source
        self.worker = worker
        self.result = result
        self.message = message
    }

    /// `source "s1" on worker "w1"`, or whichever of the two DM named.
    public var subject: String {
        switch (source, worker) {
        case let (source?, worker?): "source \"\(source)\" on worker \"\(worker)\""
        case let (source?, nil): "source \"\(source)\""
        case let (nil, worker?): "worker \"\(worker)\""
        case (nil, nil): "an unnamed source"
        }
    }

    public var description: String {
        let verdict = result ? "succeeded" : "failed"
        return message.map { "\(subject) \(verdict) (\"\($0)\")" } ?? "\(subject) \(verdict)"
    }
}

/// The reply to a mutating dmctl command: pause/resume/stop-task, start-task, operate-source,
/// pause/resume-relay and switch-relay-master, in both their v2+ and v1.0 shapes.
///
/// The top-level `result: true` only means DM-master recorded the request; each member's
/// `result` says whether that worker got there (dm-interface §3), so both are kept.
public struct DMOperationReply: Hashable, Sendable {
    /// The `op` DM echoes ("Pause", "Resume", "Stop", "Delete", "PauseRelay", …), if any.
    public var operation: String?
    /// The top-level `result`.
    public var result: Bool
    /// The top-level `msg`.
    public var message: String?
    /// One outcome per source (v2+) or worker (v1.0).
    public var members: [DMMemberOutcome]
    /// `start-task`'s precheck report (`checkResult`), if any.
    public var checkResult: String?

    public init(
        operation: String? = nil, result: Bool, message: String? = nil, members: [DMMemberOutcome] = [],
        checkResult: String? = nil
    ) {
        self.operation = operation
        self.result = result
        self.message = message
        self.members = members
        self.checkResult = checkResult
    }

    /// The members that answered `result: false`.
    public var failedMembers: [DMMemberOutcome] { members.filter { !$0.result } }

    /// True when the top level and every member succeeded.
    public var succeeded: Bool { result && failedMembers.isEmpty }
}

/// The reply to a batch `pause-task|resume-task|stop-task -s SOURCE` (no task name), which
/// dmctl builds itself with Go's `encoding/json` (dm-interface §3.2).
public struct DMBatchReply: Hashable, Sendable {
    /// One task's part of a batch reply.
    public struct TaskReply: Hashable, Sendable {
        public var task: String
        public var reply: DMOperationReply

        public init(task: String, reply: DMOperationReply) {
            self.task = task
            self.reply = reply
        }
    }

    public var result: Bool
    public var message: String?
    /// One reply per task on the source, sorted by task name as dmctl sorts them.
    public var tasks: [TaskReply]

    public init(result: Bool, message: String? = nil, tasks: [TaskReply]) {
        self.result = result
        self.message = message
        self.tasks = tasks
    }

    /// True when the batch, every task and every member succeeded.
    public var succeeded: Bool { result && tasks.allSatisfy(\.reply.succeeded) }
}
