import Glibc
import Synchronization

extension Subprocess {
    /// Starts a long-running child (a test server, a proxy) and returns at once.
    ///
    /// The child leads its own process group, so `signal(_:group:)` reaches
    /// everything it starts.
    public static func spawn(
        _ options: Options,
        stdout: OutputTarget = .null,
        stderr: OutputTarget = .null
    ) throws(SubprocessError) -> ChildProcess {
        func action(_ target: OutputTarget) -> StreamAction {
            switch target {
            case .null: .null
            case .file(let path, let append): .file(path: path, append: append)
            }
        }
        let pid = try launch(options, stdout: action(stdout), stderr: action(stderr))
        return ChildProcess(pid: pid, commandLine: options.commandLine)
    }
}

/// A child started by `Subprocess.spawn`, reaped exactly once.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let commandLine: String
    private let exitStatus = Mutex<ExitStatus?>(nil)

    init(pid: pid_t, commandLine: String) {
        self.pid = pid
        self.commandLine = commandLine
    }

    /// Sends `signal` to the child, or to its whole process group.
    /// Returns false when there is no such process any more.
    @discardableResult
    public func signal(_ signal: Int32, group: Bool = true) -> Bool {
        if exitStatus.withLock({ $0 }) != nil { return false }
        return kill(group ? -pid : pid, signal) == 0
    }

    /// The exit status if the child has ended, without blocking.
    public func waitNonBlocking() -> ExitStatus? {
        if let known = exitStatus.withLock({ $0 }) { return known }
        guard let status = Subprocess.reap(pid, blocking: false) else { return nil }
        exitStatus.withLock { $0 = status }
        return status
    }

    /// Waits until the child ends, polling so that concurrent waiters and
    /// `waitNonBlocking` callers never race on `waitpid`.
    public func wait() -> ExitStatus {
        while true {
            if let status = waitNonBlocking() { return status }
            usleep(5_000)
        }
    }

    /// Waits at most `timeout`; nil if the child still runs.
    public func wait(timeout: Duration) -> ExitStatus? {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if let status = waitNonBlocking() { return status }
            usleep(5_000)
        }
        return waitNonBlocking()
    }

    /// True while the child has not been seen to end.
    public var isRunning: Bool { waitNonBlocking() == nil }
}
