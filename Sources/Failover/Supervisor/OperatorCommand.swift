/// What an operator asks over the control socket.
public enum OperatorCommand: Hashable, Sendable {
    /// No automatic action for the scope until released or `until`.
    case hold(HoldScope, reason: String, owner: String, until: Instant?)
    /// Lift every hold of the scope (an operator's, dmswitchd's, a safety hold).
    case release(HoldScope, by: String)
    /// Lift the group's cooldown, so the next failure may start an automatic run.
    case acknowledge(group: String, by: String)
    /// A planned switch to `to`, through the same checks and runbook as a failover.
    case switchover(group: String, to: InstanceAddress, by: String)
    /// A dry run: what the selector would decide now (for `to`, or on its own).
    case check(group: String, to: InstanceAddress?)
}

/// Correlates a command with its reply (which may come later: a switchover first reads DM).
public struct CommandID: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public var description: String { "#\(rawValue)" }
}

/// The answer to an operator command.
public enum OperatorReply: Hashable, Sendable {
    /// Done; the sentence says what changed.
    case done(String)
    /// Not done; the sentence says why.
    case refused(String)
    /// A switchover run started.
    case runStarted(RunID, String)
    /// The dry run's findings.
    case report(CheckReport)

    /// The reply as text: one sentence, or the report's lines.
    public var sentence: String {
        switch self {
        case .done(let sentence), .refused(let sentence), .runStarted(_, let sentence): sentence
        case .report(let report): report.sentences.joined(separator: "\n")
        }
    }
}

/// What `check` found: the upstream's verdict, the gates, and the selection with a verdict
/// for every candidate.
public struct CheckReport: Hashable, Sendable {
    public var group: String
    public var upstream: InstanceAddress?
    public var verdict: UpstreamVerdict
    /// Why an automatic run would not start now, if it would not.
    public var block: AutomaticRunBlock?
    public var selection: Selection
    /// When the DM status the selection used was read.
    public var dmStatusAt: Instant

    /// The report as sentences: the upstream's verdict, the gate, the decision, then one per
    /// candidate reason.
    public var sentences: [String] {
        var lines = [verdict.sentence]
        if let block { lines.append(block.sentence) }
        lines.append(selection.sentence)
        lines += selection.verdicts.flatMap(\.sentences)
        return lines
    }
}
