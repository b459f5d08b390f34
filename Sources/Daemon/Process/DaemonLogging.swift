import DMSwitchConfig
import DMSwitchLog
import Synchronization

/// dmswitchd's log, whose syslog side a reload may change: the socket, the facility and the
/// least important priority written (`[daemon] syslog-socket`, `syslog-facility`, `log-level`).
///
/// Every part of the daemon keeps the same `EventLog`; a reload swaps the syslog writer behind
/// it between two events, so nothing has to be rewired and no line is written half old, half
/// new. In the foreground every event is also shown on stdout.
final class DaemonLogging: Sendable {
    let log: EventLog
    private let syslog: SwappableSink
    private let foreground: Bool

    /// What a reload applies once every other part of it is ready too.
    struct Prepared: Sendable {
        let writer: SyslogWriter
        let minimumPriority: LogPriority
    }

    init(_ settings: DMSwitchConfiguration.Daemon, foreground: Bool) throws(DaemonStartError) {
        self.foreground = foreground
        let prepared: Prepared
        do {
            prepared = try Self.prepare(settings, foreground: foreground)
        } catch {
            throw DaemonStartError("Could not set up logging: \(error)")
        }
        syslog = SwappableSink(prepared.writer)
        let sinks: [any LogSink] = foreground ? [syslog, TerminalMirror(stream: .standardOutput)] : [syslog]
        log = EventLog(sinks: sinks, minimumPriority: prepared.minimumPriority)
    }

    /// The writer and priority for `settings`; nothing changes until `apply`.
    func prepare(_ settings: DMSwitchConfiguration.Daemon) throws(DaemonLogError) -> Prepared {
        try Self.prepare(settings, foreground: foreground)
    }

    /// Switches to `prepared` (a new writer only when the socket or the facility changed, so
    /// the connection and the drop counters of an unchanged one are kept).
    func apply(_ prepared: Prepared) {
        syslog.replace(with: prepared.writer)
        log.minimumPriority = prepared.minimumPriority
    }

    /// The running writer, for its counters.
    var writer: SyslogWriter { syslog.current }

    private static func prepare(_ settings: DMSwitchConfiguration.Daemon, foreground: Bool) throws(DaemonLogError) -> Prepared {
        let facility: DMSwitchLog.SyslogFacility
        do { facility = try DMSwitchLog.SyslogFacility(name: settings.syslogFacility.rawValue) } catch { throw .facility(error) }
        let writer: SyslogWriter
        do {
            writer = try SyslogWriter(.init(
                socketPath: settings.syslogSocket, facility: facility, identifier: "dmswitchd", fallbackToStandardError: !foreground))
        } catch {
            throw .socket(error)
        }
        return Prepared(writer: writer, minimumPriority: LogPriority(name: settings.logLevel.rawValue) ?? .info)
    }
}

/// A log sink whose target can be replaced while other threads log through it.
final class SwappableSink: LogSink {
    private let target: Mutex<SyslogWriter>

    init(_ writer: SyslogWriter) {
        target = Mutex(writer)
    }

    var current: SyslogWriter { target.withLock { $0 } }

    /// Replaces the writer unless `writer` writes to the same socket with the same facility.
    func replace(with writer: SyslogWriter) {
        target.withLock { current in
            let same = current.options.socketPath == writer.options.socketPath && current.options.facility == writer.options.facility
            if !same { current = writer }
        }
    }

    func write(_ event: LogEvent) {
        current.write(event)
    }
}
