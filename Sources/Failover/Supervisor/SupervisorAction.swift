/// What the supervisor asks its shell to do, in order (see `SupervisorCore`).
public enum SupervisorAction: Hashable, Sendable {
    /// Probe the target (an instance, or through the VIP) within `timeout`, then report
    /// `probeCompleted` with the ticket.
    case probe(ProbeTicket, timeout: Duration)
    /// Read DM's status of the group's source, then report `dmStatusObserved` with the ticket.
    case queryDM(DMQueryTicket)
    /// Observe what a run step needs, then report `evidenceGathered` with the request id.
    case gather(group: String, RequestID, EvidenceRequest, deadline: Instant)
    /// Perform a runbook step, then report `stepFinished` with the request id.
    case execute(group: String, RequestID, StepKind, deadline: Instant)
    /// Append the record to the journal and fsync it before performing any later action.
    case persist(JournalRecord)
    /// Write the decision to the log.
    case log(Decision)
    /// Tell the operator (the notify hook): a run started or ended, a group was held.
    case notify(Notice)
    /// Answer an operator command.
    case reply(CommandID, OperatorReply)
    /// Give the group a shell built from the reloaded configuration these settings came from
    /// (its probes, DM backend and hooks), replacing the one it has. Sent for a group a reload
    /// added, and when a changed group's settings take effect: at once, or when its run ends.
    case configureGroup(GroupSettings)
    /// Stop the group's shell: a reload removed the group (sent once its run, if any, ended).
    case removeGroup(String)
}

/// One DM status query the core asked for.
public struct DMQueryTicket: Hashable, Sendable {
    public var group: String
    public var sequence: UInt64

    public init(group: String, sequence: UInt64) {
        self.group = group
        self.sequence = sequence
    }
}

/// What the shell got from DM for a `DMQueryTicket`.
public enum DMQueryResult: Hashable, Sendable {
    case status(DMStatus)
    /// One sentence naming what failed ("dmctl exited 1: …").
    case failed(String)
}

/// Something an operator should hear about besides the log (the notification hook).
public struct Notice: Hashable, Sendable {
    public enum Event: String, Hashable, Sendable, CaseIterable {
        case runStarted = "run-started"
        case runCompleted = "run-completed"
        case runFailed = "run-failed"
        case groupHeld = "group-held"
    }

    public var event: Event
    public var group: String
    public var run: RunID?
    public var sentence: String

    public init(_ event: Event, group: String, run: RunID? = nil, _ sentence: String) {
        self.event = event
        self.group = group
        self.run = run
        self.sentence = sentence
    }
}
