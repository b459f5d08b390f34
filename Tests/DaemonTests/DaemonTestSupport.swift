import Foundation
import Glibc
import Posix
import Sandbox
import Synchronization
import Testing

/// The suites that start a whole deployment (four MariaDB servers, HAProxy, dmsim and
/// dmswitchd) are nested here, so that on a two-core machine only one deployment runs at a time.
@Suite("dmswitchd against real deployments, one at a time", .serialized)
enum DeploymentSuites {}

/// Plays systemd's end of sd_notify: a datagram socket bound at a path, every message kept
/// in arrival order (read on a thread of its own, so the daemon never finds it full).
final class NotifyReceiver: Sendable {
    let path: String
    private let socket: UnixSocket
    private let received = Mutex<[String]>([])
    private let closed = Mutex(false)

    init(path: String) throws {
        self.path = path
        socket = try UnixSocket.make(.datagram)
        try socket.bind(to: UnixSocketAddress(path))
        let thread = Thread { [self] in receiveLoop() }
        thread.start()
    }

    /// Every message so far, each as its `KEY=VALUE` lines.
    var messages: [[String]] {
        received.withLock { $0 }.map { $0.split(separator: "\n").map(String.init) }
    }

    /// The messages that carry `assignment` (e.g. "READY=1").
    func messages(with assignment: String) -> [[String]] {
        messages.filter { $0.contains(assignment) }
    }

    /// Waits until a message carries `assignment`.
    func waitFor(_ assignment: String, count: Int = 1, timeout: Duration = .seconds(30)) async -> Bool {
        await eventually(timeout: timeout) { self.messages(with: assignment).count >= count }
    }

    func close() {
        closed.withLock { $0 = true }
        socket.close()
        unlink(path)
    }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while !closed.withLock({ $0 }) {
            guard socket.wait(forWriting: false, milliseconds: 100) else { continue }
            guard let count = try? socket.receive(into: &buffer, maximum: buffer.count, flags: Int32(MSG_DONTWAIT)) else { continue }
            let text = String(decoding: buffer[..<count], as: UTF8.self)
            received.withLock { $0.append(text) }
        }
    }
}

/// A directory under /tmp for one test, removed with everything in it at deinit.
final class ScratchDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/dmsw-daemon.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        try #require(made != nil, "could not create a temporary directory")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Polls `condition` every 50 ms for at most `timeout`.
func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// The JSON object dmswitchctl printed with `--json`.
func jsonObject(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any], "not a JSON object: \(text)")
}

extension DeploymentLab {
    /// The lab's group, by its DM source-id.
    var group: String { LabOptions.sourceID }

    /// `dmswitchctl ARGS`, which must succeed.
    @discardableResult
    func ctl(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let outcome = try dmswitchctl(arguments)
        #expect(outcome.status == .exited(0), "dmswitchctl \(arguments.joined(separator: " ")) failed: \(outcome.stderr)\(outcome.stdout)", sourceLocation: sourceLocation)
        return outcome.stdout
    }

    /// `dmswitchctl --json status GROUP`, as the group's object.
    func groupStatus() throws -> [String: Any] {
        let status = try jsonObject(try ctl(["--json", "status", group]))
        let groups = try #require(status["groups"] as? [[String: Any]], "status has no groups: \(status)")
        return try #require(groups.first, "status lists no group")
    }

    /// Starts dmswitchd, waits until it found the upstream healthy, and gives DM a checkpoint
    /// (a switch can only be checked against one).
    func startWatching(systemd: SystemdEnvironment? = nil) async throws {
        try await startDaemon(systemd: systemd)
        #expect(await waitForDecision("upstream-healthy"), "\(decisionLog())")
        try await writeAndSettle()
    }

    /// Makes the VIP hook take `seconds` before it moves the VIP, so a test can act while a
    /// run is in the middle of that step. Returns the configuration as it was.
    @discardableResult
    func slowDownVIPHook(seconds: Int = 3) throws -> String {
        let original = try String(contentsOfFile: configPath, encoding: .utf8)
        let slowHook = directory + "/slow-move-vip.sh"
        try "#!/bin/sh\nsleep \(seconds)\nexec '\(directory)/move-vip.sh'\n".write(toFile: slowHook, atomically: true, encoding: .utf8)
        chmod(slowHook, 0o755)
        try editConfiguration { $0.replacingOccurrences(of: "\(directory)/move-vip.sh", with: slowHook) }
        return original
    }

    /// Writes `rows` rows on the primary and waits until DM has them downstream and dmswitchd
    /// has seen them on every instance (a switch is checked against what it last saw).
    func writeAndSettle(rows: Int = 20) async throws {
        if rows > 0 { _ = try await sandbox.writeRows(rows) }
        #expect(try await consistency().isExact)
        let position = try await sandbox.query("SELECT @@gtid_binlog_pos", on: sandbox.primary.number).first?.values.first ?? nil
        let primary = try #require(position, "the primary has no gtid_binlog_pos")
        let settled = try await eventually(timeout: .seconds(15)) {
            let instances = try #require(try groupStatus()["instances"] as? [[String: Any]])
            return instances.allSatisfy { $0["gtidExecuted"] as? String == primary }
        }
        #expect(settled, "dmswitchd did not see the rows on every instance: \((try? groupStatus()) ?? [:])")
    }

    /// Rewrites dmswitch.toml (the daemon reads it at its next reload or start).
    func editConfiguration(_ edit: (String) -> String) throws {
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        let edited = edit(text)
        #expect(edited != text, "the edit changed nothing")
        try edited.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// The log lines (foreground output) that contain `text`.
    func logLines(containing text: String) -> [String] {
        decisionLog().split(separator: "\n").map(String.init).filter { $0.contains(text) }
    }

    /// Waits until a log line contains `text`.
    func waitForLog(_ text: String, timeout: Duration = .seconds(30)) async -> Bool {
        await eventually(timeout: timeout) { !self.logLines(containing: text).isEmpty }
    }

    /// Stops dmswitchd with SIGTERM and returns how it exited.
    func stopDaemon() -> Posix.ExitStatus? {
        signalDaemon(SIGTERM)
        return waitForDaemonExit(timeout: .seconds(30))
    }
}
