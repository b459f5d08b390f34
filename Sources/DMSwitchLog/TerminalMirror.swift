import Glibc

/// Shows events on the terminal, for `dmswitchd --foreground` (and `make demo`).
///
/// Syslog is the record; the mirror is for a person watching decisions happen, so it leads with
/// the time of day and the priority in capitals: `09:50:48 NOTICE  Switched DM to a new upstream
/// group=orders run=r-7 from=db-a to=db-b`. Each line is one write(2), so it is never buffered
/// behind a pipe and lines from different threads do not interleave.
public struct TerminalMirror: LogSink {
    /// The stream the mirror writes to.
    public enum Stream: Sendable {
        case standardOutput
        case standardError
    }

    public let stream: Stream
    private let clock: @Sendable () -> SyslogTimestamp

    public init(stream: Stream = .standardOutput, clock: @escaping @Sendable () -> SyslogTimestamp = { SyslogTimestamp.now() }) {
        self.stream = stream
        self.clock = clock
    }

    public func write(_ event: LogEvent) {
        writeLine(Self.format(event, at: clock()), to: stream == .standardOutput ? STDOUT_FILENO : STDERR_FILENO)
    }

    /// `hh:mm:ss PRIORITY message context\n`, the priority padded to line up the messages.
    public static func format(_ event: LogEvent, at time: SyslogTimestamp) -> String {
        let name = event.priority.description.uppercased()
        let padded = name + String(repeating: " ", count: max(0, 7 - name.count))
        let clockText = String(time.description.suffix(8))
        return "\(clockText) \(padded) \(event.line)\n"
    }
}
