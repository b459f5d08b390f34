import Foundation
import Glibc
import Synchronization
import Upstream

/// An application writing to the group at a steady rate, through every failure.
///
/// Each row is one autocommitted INSERT; its id counts as acknowledged when
/// the server answered, and only then is it recorded (in memory and, if
/// configured, appended to a file, one id per line). When a write fails the
/// writer reconnects – re-reading `sandbox.json` each time, so it follows a
/// promotion made by another process – and goes on. `make demo` and `make
/// bench` compare the acknowledged ids with what reached the downstream.
///
/// `run()` blocks; call it on a dedicated thread. `stop()` may be called from any thread.
public final class ContinuousWriter: Sendable {
    public struct Options: Sendable {
        /// Rows to write; nil writes until `stop()`.
        public var rows: Int?
        /// Rows per second; nil writes as fast as the server answers.
        public var rate: Double?
        /// The table in the `dmsandbox` database.
        public var table: String
        /// `.primary` follows the manifest's primary; `.vip` writes through the VIP.
        public var target: Sandbox.WriteTarget
        /// A file the acknowledged ids are appended to, one per line.
        public var idsFile: String?
        /// The pause before reconnecting after a failed write.
        public var reconnectDelay: Duration

        public init(rows: Int? = nil, rate: Double? = nil, table: String = "writes", target: Sandbox.WriteTarget = .primary,
                    idsFile: String? = nil, reconnectDelay: Duration = .milliseconds(200)) {
            self.rows = rows
            self.rate = rate
            self.table = table
            self.target = target
            self.idsFile = idsFile
            self.reconnectDelay = reconnectDelay
        }
    }

    /// What a run did.
    public struct Summary: Equatable, Sendable, CustomStringConvertible {
        public var acknowledged: [UInt64]
        /// Writes that got no answer or an error (their rows may or may not exist).
        public var failedWrites: Int
        public var reconnects: Int
        public var lastError: String?

        /// One sentence (ending with a period).
        public var description: String {
            var text = "acknowledged \(acknowledged.count) rows"
            if let first = acknowledged.first, let last = acknowledged.last { text += " (ids \(first)…\(last))" }
            text += ", \(failedWrites) failed writes, \(reconnects) reconnects"
            if let lastError { return text + "; last error: " + lastError }
            return text + "."
        }
    }

    public let directory: String
    public let options: Options
    private let state = Mutex(Summary(acknowledged: [], failedWrites: 0, reconnects: 0, lastError: nil))
    private let stopped = Mutex(false)

    /// A writer for the sandbox in `directory` (its `sandbox.json` is re-read on every reconnect).
    public init(directory: String, options: Options) throws(SandboxError) {
        guard SQLText.isPlainIdentifier(options.table) else {
            throw SandboxError("write rows", "the table name \"\(options.table)\" is not a plain identifier (letters, digits, underscore)")
        }
        if let rate = options.rate, !(rate > 0 && rate.isFinite) {
            throw SandboxError("write rows", "the rate must be a positive number of rows per second, not \(rate)")
        }
        if let rows = options.rows, rows < 0 {
            throw SandboxError("write rows", "the number of rows must not be negative")
        }
        self.directory = directory
        self.options = options
    }

    /// Ends `run()` after the write in progress.
    public func stop() {
        stopped.withLock { $0 = true }
    }

    /// What has happened so far.
    public var summary: Summary { state.withLock { $0 } }

    /// How many rows were acknowledged so far (cheaper than copying `summary`).
    public var acknowledgedCount: Int { state.withLock { $0.acknowledged.count } }

    /// The id of the `index`-th acknowledged row (from 0), once it is acknowledged.
    public func acknowledgedID(at index: Int) -> UInt64? {
        state.withLock { $0.acknowledged.indices.contains(index) ? $0.acknowledged[index] : nil }
    }

    /// Writes until `options.rows` are acknowledged or `stop()` is called. Blocking.
    public func run() throws(SandboxError) -> Summary {
        let file = try openIDsFile()
        defer { file?.closeFile() }
        let started = ContinuousClock.now
        var session: Session?
        var written = 0
        while !isStopped && written < (options.rows ?? Int.max) {
            if let rate = options.rate {
                let due = started + .seconds(Double(written) / rate)
                let now = ContinuousClock.now
                if due > now { sleep(until: due) }
                if isStopped { break }
            }
            do throws(SandboxError) {
                let current: Session
                if let session {
                    current = session
                } else {
                    current = try connect()
                }
                session = current
                let id = try current.writer.insert(on: current.connection)
                written += 1
                state.withLock { $0.acknowledged.append(id) }
                file?.write(Data("\(id)\n".utf8))
            } catch {
                state.withLock { summary in
                    summary.failedWrites += 1
                    summary.lastError = error.description
                }
                session?.connection.close()
                session = nil
                sleep(until: ContinuousClock.now + options.reconnectDelay)
            }
        }
        session?.connection.close()
        return summary
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    private struct Session {
        var writer: RowWriter
        var connection: MySQLConnection
    }

    private func connect() throws(SandboxError) -> Session {
        let manifest = try SandboxManifest.load(directory: directory)
        let credentials = try manifest.users.writer.credentials()
        let address: InstanceAddress
        switch options.target {
        case .primary: address = try manifest.instance(manifest.primary).address
        case .instance(let number): address = try manifest.instance(number).address
        case .vip:
            guard let vip = manifest.vip else { throw SandboxError("write through the VIP", "the sandbox has no VIP") }
            address = vip.address
        }
        let writer = RowWriter(table: options.table, credentials: credentials)
        let connection = try writer.connect(to: address, timeouts: ConnectionTimeouts(connect: .seconds(2), read: .seconds(5), write: .seconds(5)))
        if summary.failedWrites > 0 { state.withLock { $0.reconnects += 1 } }
        return Session(writer: writer, connection: connection)
    }

    private func openIDsFile() throws(SandboxError) -> FileHandle? {
        guard let path = options.idsFile else { return nil }
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw SandboxError("open \(path) for the acknowledged ids", "the file cannot be written")
        }
        handle.seekToEndOfFile()
        return handle
    }

    /// Sleeps in short steps so `stop()` takes effect promptly.
    private func sleep(until deadline: ContinuousClock.Instant) {
        while !isStopped {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return }
            usleep(UInt32(min(remaining, .milliseconds(50)).nanoseconds / 1000))
        }
    }
}

extension Duration {
    /// Whole nanoseconds (non-negative durations of the writer's pauses).
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
