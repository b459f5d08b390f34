/// The stage of a DM subtask or relay, as dmctl prints it (`enum Stage` in DM's
/// `dmworker.proto`, dm-interface §4.1).
///
/// Names DM may add later are kept as `.other` instead of failing the whole reply: a status
/// the daemon does not know is still a status it must not mistake for `Running`.
public enum DMStage: Hashable, Sendable, CustomStringConvertible {
    case invalid
    case new
    case running
    case paused
    case stopped
    case finished
    /// Transient, DM v2.0+.
    case pausing
    /// Transient, DM v2.0+.
    case resuming
    /// Transient, DM v5.3+.
    case stopping
    /// A stage name this version of dmswitch does not know.
    case other(String)

    public init(name: String) {
        switch name {
        case "InvalidStage": self = .invalid
        case "New": self = .new
        case "Running": self = .running
        case "Paused": self = .paused
        case "Stopped": self = .stopped
        case "Finished": self = .finished
        case "Pausing": self = .pausing
        case "Resuming": self = .resuming
        case "Stopping": self = .stopping
        default: self = .other(name)
        }
    }

    /// The name exactly as DM prints it.
    public var name: String {
        switch self {
        case .invalid: "InvalidStage"
        case .new: "New"
        case .running: "Running"
        case .paused: "Paused"
        case .stopped: "Stopped"
        case .finished: "Finished"
        case .pausing: "Pausing"
        case .resuming: "Resuming"
        case .stopping: "Stopping"
        case .other(let name): name
        }
    }

    public var description: String { name }
}

/// The processing unit a DM subtask is in (`enum UnitType`, dm-interface §4.1).
///
/// Only `Sync` reads the binlog by GTID, so only a subtask in `Sync` has a meaningful gtid-S.
public enum DMUnit: Hashable, Sendable, CustomStringConvertible {
    case invalid
    case check
    case dump
    case load
    case sync
    case relay
    /// A unit name this version of dmswitch does not know.
    case other(String)

    public init(name: String) {
        switch name {
        case "InvalidUnit": self = .invalid
        case "Check": self = .check
        case "Dump": self = .dump
        case "Load": self = .load
        case "Sync": self = .sync
        case "Relay": self = .relay
        default: self = .other(name)
        }
    }

    /// The name exactly as DM prints it.
    public var name: String {
        switch self {
        case .invalid: "InvalidUnit"
        case .check: "Check"
        case .dump: "Dump"
        case .load: "Load"
        case .sync: "Sync"
        case .relay: "Relay"
        case .other(let name): name
        }
    }

    public var description: String { name }
}
