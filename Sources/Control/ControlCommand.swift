/// What an operator asks the daemon to do; one case per protocol command.
public enum ControlCommand: Hashable, Sendable {
    /// Everything about one group, or all groups.
    case status(group: String?)
    /// No automatic action for the target until released or until `duration` has passed.
    case hold(HoldTarget, reason: String, duration: Duration?)
    /// Ends a hold.
    case release(HoldTarget)
    /// Acknowledges a finished run, ending the group's cooldown.
    case acknowledge(group: String)
    /// A dry run: which candidate would be chosen now, and why the others would not.
    case check(group: String)
    /// An operator-requested switch of the group's upstream to `instance`.
    case switchover(group: String, to: String)
    /// The most recent runs, newest first.
    case history(group: String?, limit: Int?)
    /// Re-reads the configuration.
    case reload

    /// The command's name on the wire.
    public var name: ControlCommandName {
        switch self {
        case .status: .status
        case .hold: .hold
        case .release: .release
        case .acknowledge: .ack
        case .check: .check
        case .switchover: .switchover
        case .history: .history
        case .reload: .reload
        }
    }
}

/// What `hold` and `release` apply to.
public enum HoldTarget: Hashable, Sendable, CustomStringConvertible {
    case group(String)
    /// Every group, including groups added by a later reload.
    case all

    public var description: String {
        switch self {
        case .group(let name): "group \(name)"
        case .all: "all groups"
        }
    }
}

/// The `cmd` strings of the protocol.
public enum ControlCommandName: String, CaseIterable, Codable, Sendable {
    case status, hold, release, ack, check, switchover, history, reload

    /// Whether the command changes the daemon's state (for audit logging).
    public var changesState: Bool {
        switch self {
        case .status, .check, .history: false
        case .hold, .release, .ack, .switchover, .reload: true
        }
    }
}
