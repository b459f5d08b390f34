import Control
import Foundation
import Glibc
import Posix
import Testing

@Suite("sd_notify")
struct ServiceNotifierTests {
    @Test("READY, STATUS, STOPPING and WATCHDOG arrive as single datagrams on a path socket")
    func pathSocket() throws {
        let directory = try TemporaryDirectory()
        let receiver = try DatagramReceiver(address: directory.file("notify"))
        defer { receiver.close() }
        let notifier = ServiceNotifier(environment: ["NOTIFY_SOCKET": receiver.address])
        #expect(notifier.isEnabled)
        try notifier.ready(status: "Watching 2 groups")
        #expect(try receiver.receiveText() == "READY=1\nSTATUS=Watching 2 groups")
        try notifier.status("Holding orders since 09:50\nby alice")
        #expect(try receiver.receiveText() == "STATUS=Holding orders since 09:50 by alice")
        try notifier.watchdog()
        #expect(try receiver.receiveText() == "WATCHDOG=1")
        try notifier.stopping()
        #expect(try receiver.receiveText() == "STOPPING=1")
    }

    @Test("RELOADING carries MONOTONIC_USEC from CLOCK_MONOTONIC")
    func reloading() throws {
        let directory = try TemporaryDirectory()
        let receiver = try DatagramReceiver(address: directory.file("notify"))
        defer { receiver.close() }
        var before = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        try ServiceNotifier(environment: ["NOTIFY_SOCKET": receiver.address]).reloading(status: "reloading")
        let lines = try #require(try receiver.receiveText()).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first == "RELOADING=1")
        #expect(lines.last == "STATUS=reloading")
        let microseconds = try #require(UInt64(lines[1].dropFirst("MONOTONIC_USEC=".count)))
        #expect(lines[1].hasPrefix("MONOTONIC_USEC="))
        #expect(microseconds >= UInt64(before.tv_sec) * 1_000_000)
    }

    @Test("An abstract socket (@name) is reached with its exact address length")
    func abstractSocket() throws {
        let name = "@dmswitch-notify-test-\(getpid())"
        let receiver = try DatagramReceiver(address: name)
        defer { receiver.close() }
        try ServiceNotifier(environment: ["NOTIFY_SOCKET": name]).ready()
        #expect(try receiver.receiveText() == "READY=1")
    }

    @Test("Without NOTIFY_SOCKET nothing is sent and nothing fails")
    func unset() throws {
        let notifier = ServiceNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(notifier.unusableSocketReason == nil)
        try notifier.ready(status: "x")
        try notifier.watchdog()
    }

    @Test("A transport other than a path or @name is reported once and ignored")
    func unsupportedTransport() throws {
        let notifier = ServiceNotifier(environment: ["NOTIFY_SOCKET": "vsock:2:1234"])
        #expect(!notifier.isEnabled)
        #expect(notifier.unusableSocketReason?.contains("vsock:2:1234") == true)
        try notifier.ready()
    }

    @Test("A missing notify socket is an error the daemon can log at debug level")
    func missingSocket() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: UnixSocketError.self) {
            try ServiceNotifier(environment: ["NOTIFY_SOCKET": directory.file("gone")]).ready()
        }
        #expect(error?.errno == ENOENT)
    }

    @Test("The watchdog interval is half of WATCHDOG_USEC, only when WATCHDOG_PID is ours or unset", arguments: [
        (["WATCHDOG_USEC": "30000000"], Duration?.some(.seconds(15))),
        (["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4242"], Duration?.some(.seconds(15))),
        (["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4243"], nil),
        (["WATCHDOG_USEC": "0"], nil),
        (["WATCHDOG_USEC": "soon"], nil),
        ([:], nil),
    ])
    func watchdogInterval(environment: [String: String], expected: Duration?) {
        #expect(ServiceNotifier(environment: environment, pid: 4242).watchdogInterval == expected)
    }
}

@Suite("Signal handlers")
struct SignalHandlersTests {
    @Test("A handled signal runs its handler once install returns; SIGPIPE is ignored")
    func delivers() throws {
        let received = DispatchSemaphore(value: 0)
        let handlers = SignalHandlers.install([SIGUSR2: { @Sendable in received.signal() }])
        defer { handlers.cancel() }
        kill(getpid(), SIGUSR2)
        #expect(received.wait(timeout: .now() + 10) == .success, "the SIGUSR2 handler did not run")
        var pipeAction = sigaction()
        sigaction(SIGPIPE, nil, &pipeAction)
        let handler = withUnsafeBytes(of: pipeAction.__sigaction_handler) { $0.load(as: UInt.self) }
        #expect(handler == 1, "SIGPIPE is not ignored")
    }
}
