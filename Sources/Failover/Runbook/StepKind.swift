/// One runbook action.
///
/// Read-only steps observe (query-status, the GTID checks, verifications); the others change DM
/// or the world and are written ahead to the journal and verified before and after.
public enum StepKind: Hashable, Sendable {
    /// `query-status`: read gtid-S of every task (and the relay position).
    case queryStatus
    /// The safety model on the chosen candidate, before anything changes.
    case check
    /// `pause-task <task>`.
    case pauseTask(String)
    /// The safety model again, after pausing (pausing flushes and can move DM's checkpoint).
    case recheck
    /// v1.0 `pause-relay -w <worker>`.
    case pauseRelay
    /// The operator's hook that moves the VIP.
    case moveVIP(from: InstanceAddress, to: InstanceAddress)
    /// A probe through the VIP must answer with the chosen candidate's server identity.
    case verifyIdentityThroughVIP(expected: String)
    /// v1.0 `switch-relay-master -w <worker>`.
    case switchRelayMaster
    /// v1.0 `resume-relay -w <worker>`.
    case resumeRelay
    /// `resume-task <task>`.
    case resumeTask(String)
    /// `stop-task <task>` (the downstream checkpoint is kept).
    case stopTask(String)
    /// `operate-source stop <source-id>`.
    case operateSourceStop
    /// Rewrite `from.host`/`from.port` of the saved source file, keeping `source-id`.
    case rewriteSourceFile(InstanceAddress)
    /// `operate-source create <saved source file>`.
    case operateSourceCreate
    /// `start-task <saved task file>`, never `--remove-meta`.
    case startTask(name: String, file: String)
    /// Rewrite `mysql_host`/`mysql_port` of the worker's DM-Ansible inventory entry.
    case rewriteInventory(InstanceAddress)
    /// The configured DM-Ansible rolling update of the worker.
    case runRollingUpdate
    /// Every task of the source is Running (and relay, where it runs).
    case verifyRunning

    /// A stable kebab-case name: the journal's `step` field and the log's `step=` key.
    public var name: String {
        switch self {
        case .queryStatus: "query-status"
        case .check: "check"
        case .pauseTask: "pause-task"
        case .recheck: "recheck"
        case .pauseRelay: "pause-relay"
        case .moveVIP: "move-vip"
        case .verifyIdentityThroughVIP: "verify-identity-through-vip"
        case .switchRelayMaster: "switch-relay-master"
        case .resumeRelay: "resume-relay"
        case .resumeTask: "resume-task"
        case .stopTask: "stop-task"
        case .operateSourceStop: "operate-source-stop"
        case .rewriteSourceFile: "rewrite-source-file"
        case .operateSourceCreate: "operate-source-create"
        case .startTask: "start-task"
        case .rewriteInventory: "rewrite-inventory"
        case .runRollingUpdate: "run-rolling-update"
        case .verifyRunning: "verify-running"
        }
    }

    /// What the step does, as one imperative sentence.
    public var sentence: String {
        switch self {
        case .queryStatus: "Read DM's checkpoints with query-status."
        case .check: "Check the candidate against DM's checkpoints."
        case .pauseTask(let task): "Pause task \(task)."
        case .recheck: "Check the candidate again now that the tasks are paused."
        case .pauseRelay: "Pause the relay."
        case .moveVIP(let from, let to): "Move the VIP from \(from) to \(to)."
        case .verifyIdentityThroughVIP(let expected): "Verify that the VIP answers with server identity \(expected)."
        case .switchRelayMaster: "Switch the relay to the new upstream."
        case .resumeRelay: "Resume the relay."
        case .resumeTask(let task): "Resume task \(task)."
        case .stopTask(let task): "Stop task \(task)."
        case .operateSourceStop: "Stop the DM source."
        case .rewriteSourceFile(let address): "Rewrite the saved source file to \(address)."
        case .operateSourceCreate: "Create the DM source from the saved source file."
        case .startTask(let task, _): "Start task \(task) from its saved task file."
        case .rewriteInventory(let address): "Rewrite the worker's inventory entry to \(address)."
        case .runRollingUpdate: "Run the DM-Ansible rolling update of the worker."
        case .verifyRunning: "Verify that every task of the source is Running."
        }
    }

    /// True for steps that only observe: they are redone freely after a crash.
    public var isReadOnly: Bool {
        switch self {
        case .queryStatus, .check, .recheck, .verifyIdentityThroughVIP, .verifyRunning: true
        default: false
        }
    }

    /// True for the safety model's checks, whose failure is a decision, not a retryable error.
    public var isGTIDCheck: Bool { self == .check || self == .recheck }

    /// After the repoint, a failed per-task step does not stop the run: the other tasks are
    /// still resumed or started. A failed shared step (the VIP, the relay, the source) stops it,
    /// because later steps would make DM read from an unverified server.
    public var failureStopsRunAfterRepoint: Bool {
        switch self {
        case .resumeTask, .startTask: false
        default: true
        }
    }

    /// The step that undoes this one when a run aborts before the repoint and the old upstream
    /// is healthy; nil when there is nothing to undo.
    func undo(files: [String: String]) -> StepKind? {
        switch self {
        case .pauseTask(let task): .resumeTask(task)
        case .stopTask(let task): .startTask(name: task, file: files[task] ?? "")
        case .pauseRelay: .resumeRelay
        default: nil
        }
    }
}
