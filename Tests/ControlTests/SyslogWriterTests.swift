import DMSwitchLog
import Foundation
import Glibc
import Posix
import Testing

@Suite("Syslog writer against a datagram receiver")
struct SyslogWriterTests {
    static let fixedTime = SyslogTimestamp(month: 11, day: 1, hour: 9, minute: 5, second: 7)

    func writer(_ path: String, facility: SyslogFacility = .daemon) throws -> SyslogWriter {
        try SyslogWriter(.init(socketPath: path, facility: facility, identifier: "dmswitchd", clock: { Self.fixedTime }))
    }

    @Test("An event arrives as one datagram with glibc's exact bytes")
    func exactBytes() throws {
        let directory = try TemporaryDirectory()
        let receiver = try DatagramReceiver(address: directory.file("log"))
        defer { receiver.close() }
        let log = EventLog(sinks: [try writer(receiver.address)])
        log.log(.notice, "Switched DM to a new upstream", ["group": "orders", "run": "r-7", "from": "db-a", "to": "db b"])
        let received = try #require(try receiver.receiveText())
        #expect(received == "<29>Nov  1 09:05:07 dmswitchd[\(getpid())]: Switched DM to a new upstream group=orders run=r-7 from=db-a to=\"db b\"")
    }

    @Test("The facility from the configuration sets PRI", arguments: [
        (SyslogFacility.local3, LogPriority.err, "<155>"),
        (.daemon, .warning, "<28>"),
        (.user, .info, "<14>"),
    ])
    func facility(facility: SyslogFacility, priority: LogPriority, prefix: String) throws {
        let directory = try TemporaryDirectory()
        let receiver = try DatagramReceiver(address: directory.file("log"))
        defer { receiver.close() }
        try writer(receiver.address, facility: facility).send(priority, line: "x")
        #expect(try receiver.receiveText()?.hasPrefix(prefix + "Nov  1 09:05:07 dmswitchd[") == true)
    }

    @Test("A receiver that never reads makes the writer drop and count, not block")
    func fullQueueDrops() throws {
        let directory = try TemporaryDirectory()
        let receiver = try DatagramReceiver(address: directory.file("log"))
        defer { receiver.close() }
        let writer = try writer(receiver.address)
        let line = String(repeating: "x", count: 4000)
        let finished = onThread(within: .seconds(30)) {
            for _ in 0..<2_000 { writer.send(.info, line: line) }
            return true
        }
        #expect(finished == true, "sending to a full socket blocked")
        let statistics = writer.statistics
        #expect(statistics.droppedQueueFull > 0)
        #expect(statistics.sent + statistics.droppedQueueFull == 2_000)
        #expect(statistics.undeliverable == 0)
    }

    @Test("When the receiver is replaced (journald restarted) the writer reconnects and delivers")
    func reconnects() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("log")
        let first = try DatagramReceiver(address: path)
        let writer = try writer(path)
        #expect(writer.send(.info, line: "one") == .sent)
        #expect(try first.receiveText()?.hasSuffix(": one") == true)
        first.close()
        unlink(path)
        let second = try DatagramReceiver(address: path)
        defer { second.close() }
        #expect(writer.send(.info, line: "two") == .sent)
        #expect(try second.receiveText()?.hasSuffix(": two") == true)
        #expect(writer.statistics.reconnects == 1)
    }

    @Test("Without a socket the message is undeliverable, counted, and nothing blocks or crashes")
    func absentSocket() throws {
        let directory = try TemporaryDirectory()
        let writer = try writer(directory.file("missing"))
        guard case .undeliverable(let error) = writer.send(.err, line: "lost") else {
            Issue.record("a message to a missing socket was not reported undeliverable")
            return
        }
        #expect(error.errno == ENOENT)
        #expect(error.description.contains("No such file or directory"))
        #expect(writer.statistics.undeliverable == 1)
    }

    @Test("An impossible socket path is refused when the writer is made")
    func longPath() {
        #expect(throws: UnixSocketError.self) {
            try SyslogWriter(.init(socketPath: "/" + String(repeating: "a", count: 200)))
        }
    }
}

@Suite("Event log")
struct EventLogTests {
    final class Recorder: LogSink, @unchecked Sendable {
        private let lock = NSLock()
        private var events: [LogEvent] = []
        func write(_ event: LogEvent) { lock.withLock { events.append(event) } }
        var lines: [String] { lock.withLock { events.map { "\($0.priority) \($0.line)" } } }
    }

    @Test("Events below the minimum priority are dropped; the minimum can change at run time")
    func minimum() {
        let recorder = Recorder()
        let log = EventLog(sinks: [recorder], minimumPriority: .info)
        log.log(.debug, "Probe detail")
        log.log(.info, "Paused task", ["task": "orders"])
        log.log(.err, "Run failed")
        log.minimumPriority = .debug
        log.log(.debug, "Probe detail")
        #expect(recorder.lines == ["info Paused task task=orders", "err Run failed", "debug Probe detail"])
    }

    @Test("A scoped log puts the run's context before every event's own")
    func scoped() {
        let recorder = Recorder()
        let runLog = EventLog(sinks: [recorder]).with(["group": "orders", "run": "r-7"])
        runLog.log(.info, "Step done", ["step": "pause-task"])
        runLog.with(["attempt": 2]).log(.warning, "Refused the switch")
        #expect(recorder.lines == [
            "info Step done group=orders run=r-7 step=pause-task",
            "warning Refused the switch group=orders run=r-7 attempt=2",
        ])
    }

    @Test("The terminal mirror leads with the time and a padded priority")
    func mirror() {
        let event = LogEvent(.notice, "Switched DM to a new upstream", context: [(key: "group", value: "orders")])
        let time = SyslogTimestamp(month: 11, day: 1, hour: 9, minute: 5, second: 7)
        #expect(TerminalMirror.format(event, at: time) == "09:05:07 NOTICE  Switched DM to a new upstream group=orders\n")
        #expect(TerminalMirror.format(LogEvent(.warning, "x"), at: time) == "09:05:07 WARNING x\n")
    }
}

@Suite("The daemon's log from configuration values")
struct DaemonLogTests {
    @Test("The facility is chosen by name and events reach the syslog socket")
    func configured() throws {
        let directory = try TemporaryDirectory()
        let receiver = try DatagramReceiver(address: directory.file("log"))
        defer { receiver.close() }
        let daemonLog = try DaemonLog(syslogSocket: receiver.address, facility: "local3")
        daemonLog.log.log(.err, "Run failed", ["group": "orders"])
        #expect(try receiver.receiveText()?.hasPrefix("<155>") == true)
        #expect(daemonLog.syslog.statistics.sent == 1)
    }

    @Test("An unknown facility or an impossible socket is a clear error")
    func errors() {
        let facility = #expect(throws: DaemonLogError.self) { try DaemonLog(facility: "locale3") }
        #expect(facility?.description.hasPrefix("The syslog facility \"locale3\" is unknown") == true)
        let socket = #expect(throws: DaemonLogError.self) { try DaemonLog(syslogSocket: "") }
        #expect(socket?.description == "The syslog socket is not usable: Could not use the address \"\": the address is empty.")
    }
}
