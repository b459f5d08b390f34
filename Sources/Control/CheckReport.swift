/// The result of `check`: the dry run of a switch for one group, changing nothing.
public struct CheckReport: Hashable, Codable, Sendable {
    public var group: String
    /// The candidate a switch would choose now; nil when none qualifies.
    public var chosen: String?
    /// One verdict per instance, with every reason it was rejected.
    public var verdicts: [CandidateVerdict]
    /// The steps the runbook would take, in order, as sentences.
    public var runbook: [String]
    /// What the verdicts rest on, as sentences: the upstream's health, what would keep an
    /// automatic run from starting now (a hold, the cooldown), and the selection.
    public var findings: [String]?

    public init(group: String, chosen: String?, verdicts: [CandidateVerdict], runbook: [String], findings: [String]? = nil) {
        self.group = group
        self.chosen = chosen
        self.verdicts = verdicts
        self.runbook = runbook
        self.findings = findings
    }
}

/// Whether one instance could become the upstream, and why not.
public struct CandidateVerdict: Hashable, Codable, Sendable {
    public var instance: String
    public var eligible: Bool
    /// Empty when eligible; otherwise each failed condition as a sentence.
    public var reasons: [String]

    public init(instance: String, eligible: Bool, reasons: [String] = []) {
        self.instance = instance
        self.eligible = eligible
        self.reasons = reasons
    }
}
