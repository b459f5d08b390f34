import Foundation
import Glibc
import Posix
import Upstream

/// Starting, signalling and waiting for one sandbox server process. Blocking:
/// every function runs on a dedicated thread.
enum ServerProcess {
    /// How the sandbox's own administrative connections wait.
    static let adminTimeouts = ConnectionTimeouts(connect: .seconds(2), read: .seconds(30), write: .seconds(10))

    /// Creates the server's directory, copies the template data directory and writes my.cnf.
    static func prepare(_ config: ServerConfig, binaries: ServerBinaries) throws(SandboxError) {
        try SandboxDirectory.create(config.directory)
        try SandboxDirectory.create(config.temporaryDirectory)
        guard config.socket.utf8.count < 100 else {
            throw SandboxError("prepare \(config.name)", "the socket path \(config.socket) is longer than a Unix socket allows; use a shorter --dir")
        }
        try DataDirectoryTemplate.copy(to: config.dataDirectory, binaries: binaries)
        do {
            try AtomicFile.write(path: config.configFile, text: config.render(), mode: 0o644)
        } catch {
            throw SandboxError("write \(config.configFile)", error)
        }
    }

    /// Starts mariadbd with the server's my.cnf; its output goes to `stdout.log` next to it.
    static func spawn(_ record: InstanceRecord, binaries: ServerBinaries) throws(SandboxError) -> ChildProcess {
        // A pid file left by a killed server would make the new one refuse to start.
        try? FileManager.default.removeItem(atPath: (record.configFile as NSString).deletingLastPathComponent + "/mysqld.pid")
        let log = (record.configFile as NSString).deletingLastPathComponent + "/stdout.log"
        do {
            return try Subprocess.spawn(
                Subprocess.Options(executable: binaries.mariadbd, arguments: ["--defaults-file=\(record.configFile)"]),
                stdout: .file(path: log, append: true), stderr: .file(path: log, append: true))
        } catch {
            throw SandboxError("start \(record.name)", error)
        }
    }

    /// Waits until the server accepts root on its socket; fails at once if the process ends.
    static func waitUntilReady(_ record: InstanceRecord, child: ChildProcess?, timeout: Duration = .seconds(60)) throws(SandboxError) {
        let deadline = ContinuousClock.now + timeout
        var lastError = "it did not answer"
        while ContinuousClock.now < deadline {
            if let child, let status = child.waitNonBlocking() {
                throw SandboxError("start \(record.name)", "mariadbd ended with \(status) during startup; \(errorLogTail(record))")
            }
            if child == nil, let pid = record.pid, !ProcessSignal.isRunning(pid) {
                throw SandboxError("start \(record.name)", "mariadbd (pid \(pid)) ended during startup; \(errorLogTail(record))")
            }
            do {
                let connection = try rootConnection(record, timeouts: ConnectionTimeouts(connect: .seconds(1), read: .seconds(5)))
                _ = try connection.query("SELECT 1")
                return
            } catch {
                lastError = error.description
            }
            usleep(50_000)
        }
        throw SandboxError("start \(record.name)", "it was not ready after \(timeout) (\(lastError)); \(errorLogTail(record))")
    }

    /// A root connection through the server's Unix socket.
    static func rootConnection(_ record: InstanceRecord, timeouts: ConnectionTimeouts = adminTimeouts) throws(MySQLError) -> MySQLConnection {
        try MySQLConnection(to: record.address, credentials: MySQLCredentials(user: "root", password: ""),
                            timeouts: timeouts, unixSocket: record.socket)
    }

    /// Sends SIGKILL and waits until the process is gone (reaped, when it is our child).
    static func kill(_ record: InstanceRecord, child: ChildProcess?) throws(SandboxError) {
        if let child {
            child.signal(SIGKILL, group: true)
            _ = child.wait()
            return
        }
        guard let pid = record.pid else { return }
        if ProcessSignal.isRunning(pid) {
            do { try ProcessSignal.send(SIGKILL, to: pid) } catch { if error.code != ESRCH { throw SandboxError("kill \(record.name)", error) } }
        }
        try waitUntilGone(pid, name: record.name, timeout: .seconds(10))
    }

    /// Asks the server to shut down cleanly (SIGTERM), then SIGKILL after `timeout`.
    static func terminate(_ record: InstanceRecord, child: ChildProcess?, timeout: Duration = .seconds(30)) throws(SandboxError) {
        if let child {
            child.signal(SIGCONT, group: false)
            child.signal(SIGTERM, group: false)
            if child.wait(timeout: timeout) == nil {
                child.signal(SIGKILL, group: true)
                _ = child.wait()
            }
            return
        }
        guard let pid = record.pid, ProcessSignal.isRunning(pid) else { return }
        _ = try? ProcessSignal.send(SIGCONT, to: pid)
        _ = try? ProcessSignal.send(SIGTERM, to: pid)
        do {
            try waitUntilGone(pid, name: record.name, timeout: timeout)
        } catch {
            try kill(record, child: nil)
        }
    }

    /// Sends SIGSTOP or SIGCONT to the server process.
    static func signal(_ signal: Int32, _ record: InstanceRecord, child: ChildProcess?) throws(SandboxError) {
        let what = signal == SIGSTOP ? "stop" : "continue"
        if let child {
            guard child.signal(signal, group: false) else {
                throw SandboxError("\(what) \(record.name)", "the process has ended")
            }
            return
        }
        guard let pid = record.pid else { throw SandboxError("\(what) \(record.name)", "it is not running (killed)") }
        do { try ProcessSignal.send(signal, to: pid) } catch { throw SandboxError("\(what) \(record.name)", error) }
    }

    private static func waitUntilGone(_ pid: Int32, name: String, timeout: Duration) throws(SandboxError) {
        let deadline = ContinuousClock.now + timeout
        while ProcessSignal.isRunning(pid) {
            if ContinuousClock.now >= deadline {
                throw SandboxError("stop \(name)", "process \(pid) was still running after \(timeout)")
            }
            usleep(10_000)
        }
    }

    /// The last lines of the server's error log, for failure messages.
    static func errorLogTail(_ record: InstanceRecord, lines: Int = 6) -> String {
        guard let text = try? String(contentsOfFile: record.errorLog, encoding: .utf8) else {
            return "no error log at \(record.errorLog)"
        }
        let tail = text.split(separator: "\n").suffix(lines).joined(separator: " | ")
        return "error log \(record.errorLog): \(tail)"
    }
}
