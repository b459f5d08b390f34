import Foundation

/// The result of `history`: recent runs, newest first, from the run journal.
public struct History: Hashable, Codable, Sendable {
    public var runs: [RunRecord]

    public init(runs: [RunRecord]) {
        self.runs = runs
    }
}

/// One failover or switchover run.
public struct RunRecord: Hashable, Codable, Sendable {
    /// The run id every log line of the run carries.
    public var id: String
    public var group: String
    /// `failover` or `switchover`.
    public var kind: String
    /// The upstream before the run.
    public var from: String?
    /// The chosen candidate.
    public var to: String?
    public var startedAt: Date
    /// e.g. `completed`, `failed`, `aborted`, `in-progress`.
    public var outcome: String
    public var steps: [StepRecord]

    public init(
        id: String, group: String, kind: String, from: String?, to: String?, startedAt: Date, outcome: String,
        steps: [StepRecord] = []
    ) {
        self.id = id
        self.group = group
        self.kind = kind
        self.from = from
        self.to = to
        self.startedAt = startedAt
        self.outcome = outcome
        self.steps = steps
    }
}

/// One runbook step of a run.
public struct StepRecord: Hashable, Codable, Sendable {
    /// e.g. `pause-task`, `move-vip`, `resume-task`.
    public var name: String
    public var startedAt: Date
    /// e.g. `ok`, `failed: dmctl exited 1`, `in-progress`.
    public var outcome: String

    public init(name: String, startedAt: Date, outcome: String) {
        self.name = name
        self.startedAt = startedAt
        self.outcome = outcome
    }
}
