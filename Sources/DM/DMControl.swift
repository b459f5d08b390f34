/// The DM actions the four runbooks need, independent of how DM is reached.
///
/// Methods block until DM answers (dmctl's mutating commands wait up to ~10 s for the
/// workers), so the daemon calls them from its own threads, never from the concurrency pool.
/// A method returns only when DM answered with success everywhere it was asked: exit 0,
/// `result: true` at the top level and in every source or worker (dmctl exits 0 even when
/// DM said no). Anything else throws a `DMError` whose description is one sentence. The
/// query methods are the exception for per-source results: a source without a worker is
/// part of the status the runbook must see, so only a top-level `result: false` throws.
///
/// `source` parameters are DM `source-id`s; a DM v1.0 backend translates them into the
/// DM-worker address dmctl v1.0 expects.
public protocol DMControl: Sendable {
    /// `query-status TASK`: every subtask of the task, with gtid-S and relay state per source.
    func queryStatus(task: String) throws(DMError) -> DMStatusReport
    /// `query-status -s SOURCE` (v1.0: `-w WORKER`): every task on the source, one element per
    /// worker serving it (the bound worker and any relay workers).
    func queryStatus(source: String) throws(DMError) -> DMStatusReport
    /// `query-status`: the task names and DM's one-line status of each.
    func listTasks() throws(DMError) -> DMTaskList

    /// `pause-task [-s SOURCE] TASK`: DM keeps the subtask and its checkpoint.
    func pauseTask(_ task: String, source: String?) throws(DMError) -> DMOperationReply
    /// `resume-task [-s SOURCE] TASK`: DM reconnects and continues from the checkpoint. Re-query
    /// afterwards; a resumed subtask can pause again on its own a moment later.
    func resumeTask(_ task: String, source: String?) throws(DMError) -> DMOperationReply
    /// `stop-task [-s SOURCE] TASK`: DM removes the subtask and keeps the checkpoint.
    func stopTask(_ task: String, source: String?) throws(DMError) -> DMOperationReply
    /// `pause-task -s SOURCE` (v2+): every task on the source.
    func pauseTasks(onSource source: String) throws(DMError) -> DMBatchReply
    /// `resume-task -s SOURCE` (v2+): every task on the source.
    func resumeTasks(onSource source: String) throws(DMError) -> DMBatchReply
    /// `stop-task -s SOURCE` (v2+): every task on the source.
    func stopTasks(onSource source: String) throws(DMError) -> DMBatchReply
    /// `start-task [-s SOURCE] FILE` from the daemon's saved task file. Never `--remove-meta`:
    /// the task must continue from its checkpoint, not from scratch.
    func startTask(file: String, source: String?) throws(DMError) -> DMOperationReply

    /// `operate-source create FILE` (v2+).
    func createSource(file: String) throws(DMError) -> DMOperationReply
    /// `operate-source stop SOURCE` (v2+). DM refuses with 46010 while tasks have subtasks on
    /// the source and with 46023 while relay workers were started for it.
    func stopSource(_ source: String) throws(DMError) -> DMOperationReply
    /// `operate-source show [-s SOURCE …]` (v2+); all sources when `sources` is empty.
    func showSources(_ sources: [String]) throws(DMError) -> DMOperationReply
    /// `list-member` (v2+).
    func listMembers() throws(DMError) -> DMMemberList

    /// `pause-relay -w WORKER` (v1.0) or `pause-relay -s SOURCE` (v2+).
    func pauseRelay(source: String) throws(DMError) -> DMOperationReply
    /// `resume-relay -w WORKER` (v1.0) or `resume-relay -s SOURCE` (v2+).
    func resumeRelay(source: String) throws(DMError) -> DMOperationReply
    /// `switch-relay-master -w WORKER` (v1.0 only): the relay starts a new sub-directory for
    /// the new upstream. DM requires the relay to be paused and GTID mode on.
    func switchRelayMaster(source: String) throws(DMError) -> DMOperationReply
}
