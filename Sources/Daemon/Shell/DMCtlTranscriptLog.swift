import DM
import DMSwitchLog

/// Logs every dmctl run with how long it took.
///
/// The time a run spends inside DM's client (and DM-master behind it) is not dmswitchd's own:
/// one line per command lets an operator see where a slow switch went, and lets `make bench`
/// split a run's wall time into dmctl's share and dmswitchd's. Info priority, like Patroni's
/// one line per HA cycle: a watched group adds one line per DM status interval.
enum DMCtlTranscriptLog {
    /// The hook for one group's backend.
    static func hook(_ log: EventLog, group: String) -> DMCtlTranscriptHook {
        let log = log.with(["group": LogValue(group)])
        return { entry in
            log.log(.info, "dmctl command finished", context: [
                ("command", LogValue(entry.command.name)),
                ("seconds", LogValue(seconds(entry.duration))),
                ("result", LogValue(result(entry))),
            ])
        }
    }

    /// "exited 0", "timed out", or why dmctl could not start.
    static func result(_ entry: DMCtlTranscriptEntry) -> String {
        if let failure = entry.startFailure { return "not started: \(failure)" }
        if entry.timedOut { return "timed out" }
        return entry.status?.description ?? "unknown"
    }

    /// Seconds with millisecond precision, "0.042".
    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let milliseconds = max(0, whole * 1000 + attoseconds / 1_000_000_000_000_000)
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
