/// A run's id: every log line and journal record of the run carries it.
///
/// Passed in (the supervisor derives it from a prefix the shell gives it), so the core stays
/// deterministic and tests can name runs.
public struct RunID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}

/// Why a run exists.
public enum RunKind: String, Hashable, Sendable, CaseIterable {
    /// Automatic: the upstream is down.
    case failover
    /// Planned: an operator asked for another upstream.
    case switchover
}

/// Everything fixed when a run starts; journaled first, so that a restarted daemon continues
/// exactly this run (the step list is recorded, not rebuilt from a configuration that may have
/// changed).
public struct RunHeader: Hashable, Sendable {
    public var id: RunID
    public var group: String
    public var kind: RunKind
    public var from: InstanceAddress
    public var to: InstanceAddress
    /// The candidate's server identity when it was chosen; the VIP must answer with it.
    public var toIdentity: String
    public var runbook: RunbookKind
    public var steps: [StepKind]
    public var repointIndex: Int
    /// The tasks of the source when the run started, with their saved files.
    public var tasks: [TaskSpec]
    /// The decision that started it (a down verdict, or the operator's request).
    public var reason: String
    /// The operator who asked, for a switchover.
    public var requestedBy: String?
    public var startedAt: Instant

    public init(
        id: RunID, group: String, kind: RunKind, from: InstanceAddress, to: InstanceAddress, toIdentity: String,
        runbook: Runbook, tasks: [TaskSpec], reason: String, requestedBy: String? = nil, startedAt: Instant
    ) {
        self.id = id
        self.group = group
        self.kind = kind
        self.from = from
        self.to = to
        self.toIdentity = toIdentity
        self.runbook = runbook.kind
        self.steps = runbook.steps
        self.repointIndex = runbook.repointIndex
        self.tasks = tasks
        self.reason = reason
        self.requestedBy = requestedBy
        self.startedAt = startedAt
    }

    var plan: RunbookPlan { RunbookPlan(from: from, to: to, toIdentity: toIdentity, tasks: tasks) }
}

/// Forward through the runbook, or giving DM back its old upstream after an abort.
public enum RunStage: String, Hashable, Sendable, CaseIterable {
    case forward
    case restore
}
