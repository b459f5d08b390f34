import Posix

/// The daemon's log as the configuration describes it: syslog to a socket with a facility chosen
/// by name, plus the terminal when running in the foreground.
public struct DaemonLog: Sendable {
    public let log: EventLog
    /// The syslog writer, for its statistics (dropped lines) in `status` and at shutdown.
    public let syslog: SyslogWriter

    /// - Parameters:
    ///   - syslogSocket: `daemon.syslog-socket` (default /dev/log).
    ///   - facility: `daemon.syslog-facility` by name (default daemon).
    ///   - foreground: `dmswitchd --foreground`: every event is also shown on stdout. Otherwise a
    ///     line that cannot reach syslog goes to stderr, which systemd sends to the journal too.
    public init(
        syslogSocket: String = "/dev/log", facility: String = "daemon", identifier: String = "dmswitchd",
        foreground: Bool = false, minimumPriority: LogPriority = .info
    ) throws(DaemonLogError) {
        let parsedFacility: SyslogFacility
        do { parsedFacility = try SyslogFacility(name: facility) } catch { throw .facility(error) }
        do {
            syslog = try SyslogWriter(.init(
                socketPath: syslogSocket, facility: parsedFacility, identifier: identifier,
                fallbackToStandardError: !foreground))
        } catch {
            throw .socket(error)
        }
        let sinks: [any LogSink] = foreground ? [syslog, TerminalMirror(stream: .standardOutput)] : [syslog]
        log = EventLog(sinks: sinks, minimumPriority: minimumPriority)
    }
}

/// Why the daemon's log could not be set up from the configuration.
public enum DaemonLogError: Error, Equatable, Sendable, CustomStringConvertible {
    case facility(UnknownFacilityError)
    case socket(UnixSocketError)

    public var description: String {
        switch self {
        case .facility(let error): error.description
        case .socket(let error): "The syslog socket is not usable: \(error.description)"
        }
    }
}
