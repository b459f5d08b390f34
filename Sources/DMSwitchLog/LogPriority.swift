/// How much an event matters, in syslog's severities (RFC 5424 §6.2.1, `<syslog.h>`).
///
/// The daemon gives each priority one meaning so that `journalctl -p` filters usefully:
/// - `notice`: a decision that changed something, e.g. DM was switched to a new upstream;
/// - `warning`: a switch that was refused, a group put on hold, a candidate rejected;
/// - `err`: a run that failed or a step that could not be completed;
/// - `info`: the steps of a run and other routine progress;
/// - `debug`: probe details (off unless asked for).
/// `emerg`, `alert` and `crit` exist for completeness; dmswitch does not page anyone through syslog.
public enum LogPriority: Int32, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case emerg = 0
    case alert = 1
    case crit = 2
    case err = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7

    /// Accepts the names used by `journalctl -p` and syslog.conf (`err` and `error` both work).
    public init?(name: String) {
        switch name.lowercased() {
        case "emerg", "emergency", "panic": self = .emerg
        case "alert": self = .alert
        case "crit", "critical": self = .crit
        case "err", "error": self = .err
        case "warning", "warn": self = .warning
        case "notice": self = .notice
        case "info": self = .info
        case "debug": self = .debug
        default: return nil
        }
    }

    /// The lower-case syslog name.
    public var description: String {
        switch self {
        case .emerg: "emerg"
        case .alert: "alert"
        case .crit: "crit"
        case .err: "err"
        case .warning: "warning"
        case .notice: "notice"
        case .info: "info"
        case .debug: "debug"
        }
    }

    /// A lower severity number is more important, so `.err < .info` reads "err is more urgent".
    public static func < (lhs: LogPriority, rhs: LogPriority) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
