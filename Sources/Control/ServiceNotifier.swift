import Foundation
import Posix

/// Tells systemd about the daemon's state (sd_notify), without libsystemd.
///
/// One datagram of `KEY=VALUE` lines to `$NOTIFY_SOCKET`. Silent when the variable is unset (not
/// run by systemd) or names a transport this daemon does not speak (vsock). Sending errors are
/// returned for debug logging only: systemd's own advice is to ignore them. Must be called from
/// the main process itself, since `NotifyAccess=main` drops children's messages.
public struct ServiceNotifier: Sendable {
    /// The notify socket, or nil when notifications are off.
    public let address: UnixSocketAddress?
    /// Why `NOTIFY_SOCKET` was set but not usable, for one log line at start.
    public let unusableSocketReason: String?
    /// The watchdog timeout systemd expects pings within (`WATCHDOG_USEC`), if it is meant for us.
    public let watchdogTimeout: Duration?

    /// The notify payload limit of PID 1 (NOTIFY_BUFFER_MAX = 4096); STATUS= is cut to fit.
    public static let maximumMessageBytes = 4096

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, pid: Int32 = getpid()) {
        var address: UnixSocketAddress?
        var reason: String?
        if let value = environment["NOTIFY_SOCKET"], !value.isEmpty {
            if value.hasPrefix("/") || value.hasPrefix("@") {
                do { address = try UnixSocketAddress(value) } catch { reason = error.description }
            } else {
                reason = "NOTIFY_SOCKET=\(value) is neither a path nor an abstract socket name; notifications are off."
            }
        }
        self.address = address
        self.unusableSocketReason = reason
        self.watchdogTimeout = Self.watchdogTimeout(environment: environment, pid: pid)
    }

    /// True when messages are sent anywhere.
    public var isEnabled: Bool { address != nil }

    /// How often to send `WATCHDOG=1`: half the timeout, as sd_watchdog_enabled(3) recommends.
    public var watchdogInterval: Duration? {
        watchdogTimeout.map { $0 / 2 }
    }

    /// Start-up (or a reload) finished: configuration loaded, control socket bound.
    public func ready(status: String? = nil) throws(UnixSocketError) {
        try send(["READY=1"] + statusLine(status))
    }

    /// A one-line status for `systemctl status`.
    public func status(_ text: String) throws(UnixSocketError) {
        try send(statusLine(text))
    }

    /// A reload begins; `ready()` must follow when it ends. MONOTONIC_USEC is what systemd 253+
    /// needs for `Type=notify-reload`; 252 ignores it, so it is always sent.
    public func reloading(status: String? = nil) throws(UnixSocketError) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        try send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"] + statusLine(status))
    }

    /// Shutdown begins.
    public func stopping(status: String? = nil) throws(UnixSocketError) {
        try send(["STOPPING=1"] + statusLine(status))
    }

    /// Keep-alive; send every `watchdogInterval` from the loop that proves progress.
    public func watchdog() throws(UnixSocketError) {
        try send(["WATCHDOG=1"])
    }

    /// Sends `assignments` as one datagram. Does nothing when notifications are off.
    public func send(_ assignments: [String]) throws(UnixSocketError) {
        guard let address, !assignments.isEmpty else { return }
        let socket = try UnixSocket.make(.datagram)
        defer { socket.close() }
        try socket.connect(to: address)
        _ = try socket.send(Array(assignments.joined(separator: "\n").utf8), flags: Int32(MSG_DONTWAIT))
    }

    /// `STATUS=text`, on one line and short enough for PID 1's buffer.
    private func statusLine(_ text: String?) -> [String] {
        guard let text else { return [] }
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return ["STATUS=" + String(oneLine.prefix(1024))]
    }

    /// WATCHDOG_USEC applies only when WATCHDOG_PID is unset or names this process.
    private static func watchdogTimeout(environment: [String: String], pid: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0,
            microseconds <= UInt64(Int64.max)
        else { return nil }
        if let owner = environment["WATCHDOG_PID"], Int32(owner) != pid { return nil }
        return .microseconds(Int64(microseconds))
    }
}
