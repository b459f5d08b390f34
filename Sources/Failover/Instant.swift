/// A point in wall-clock time, in milliseconds since the Unix epoch.
///
/// The core never reads a clock: the shell passes `at:` on every event and tests drive a manual
/// clock. Wall-clock time (not `ContinuousClock.Instant`) because holds, cooldowns and
/// unfinished runs are written to the journal and must keep their meaning across a restart or a
/// reboot, where a monotonic instant does not.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public static func + (lhs: Instant, rhs: Duration) -> Instant {
        Instant(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch &+ rhs.wholeMilliseconds)
    }

    public static func - (lhs: Instant, rhs: Duration) -> Instant {
        Instant(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch &- rhs.wholeMilliseconds)
    }

    public static func - (lhs: Instant, rhs: Instant) -> Duration {
        .milliseconds(lhs.millisecondsSinceEpoch &- rhs.millisecondsSinceEpoch)
    }

    /// `@<milliseconds>`: exact, sortable, and free of time-zone questions; the shell formats
    /// instants for humans.
    public var description: String { "@\(millisecondsSinceEpoch)" }
}

extension Duration {
    /// The duration rounded down to whole milliseconds, the resolution of `Instant`.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000
    }

    /// A short human form for decision sentences: "250 ms", "5 s", "60 s", "1.5 s", "2 min".
    var sentenceText: String {
        let ms = wholeMilliseconds
        if ms < 1000 { return "\(ms) ms" }
        if ms >= 120_000, ms % 60_000 == 0 { return "\(ms / 60_000) min" }
        if ms % 1000 == 0 { return "\(ms / 1000) s" }
        let tenths = (ms + 50) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
