import DM
import DMSwitchLog
import Posix

/// Logs every external command a group runs — dmctl and the operator's hooks — with how
/// long it took.
///
/// The time a run spends inside DM's client (and DM-master behind it) or in a hook is not
/// dmswitchd's own: one line per command lets an operator see where a slow switch went, and
/// lets `make bench` split a run's wall time into dmctl's share, the hooks' and dmswitchd's.
/// Info priority, like Patroni's one line per HA cycle: a watched group adds one line per DM
/// status interval.
enum CommandLog {
    /// The transcript hook for one group's DM backend; `log` carries the group.
    static func dmctl(_ log: EventLog) -> DMCtlTranscriptHook {
        { entry in
            let result: String
            if let failure = entry.startFailure {
                result = "not started: \(failure)"
            } else if entry.timedOut {
                result = "timed out"
            } else {
                result = entry.status?.description ?? "unknown"
            }
            log.log(.info, "dmctl command finished", context: [
                ("command", LogValue(entry.command.name)), ("seconds", LogValue(seconds(entry.duration))), ("result", LogValue(result)),
            ])
        }
    }

    /// One hook run: `command` is the program's file name, `result` how it ended.
    static func hook(_ log: EventLog, command: String, duration: Duration, result: String) {
        log.log(.info, "hook finished", context: [
            ("command", LogValue(command)), ("seconds", LogValue(seconds(duration))), ("result", LogValue(result)),
        ])
    }

    /// Seconds with millisecond precision, "0.042".
    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let milliseconds = max(0, whole * 1000 + attoseconds / 1_000_000_000_000_000)
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
