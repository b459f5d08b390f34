import Glibc

extension Subprocess {
    /// Runs a child to completion, capturing bounded stdout and stderr.
    ///
    /// Blocks the calling thread: call it from a thread of its own, never from
    /// the concurrency pool. Both pipes are drained while the child runs, so a
    /// chatty child cannot deadlock on a full pipe. When the deadline passes the
    /// child's whole process group gets SIGKILL (dmctl and hooks may have
    /// children of their own that would otherwise hold the pipes open).
    public static func run(_ options: Options) throws(SubprocessError) -> Outcome {
        let started = ContinuousClock.now
        let deadline = options.deadline.map { started + $0 }
        let stdoutPipe = try makePipe(options)
        let stderrPipe = try makePipe(options)
        let pid: pid_t
        do {
            pid = try launch(options, stdout: .descriptor(stdoutPipe.write), stderr: .descriptor(stderrPipe.write))
        } catch {
            for fd in [stdoutPipe.read, stdoutPipe.write, stderrPipe.read, stderrPipe.write] { close(fd) }
            throw error
        }
        close(stdoutPipe.write)
        close(stderrPipe.write)
        defer {
            close(stdoutPipe.read)
            close(stderrPipe.read)
        }

        var out = BoundedBuffer(limit: options.outputLimit)
        var err = BoundedBuffer(limit: options.outputLimit)
        var status: ExitStatus?
        var timedOut = false
        var exitedAt: ContinuousClock.Instant?
        // A grandchild that outlives the child may keep the pipes open; after
        // the child is gone we read what is already there and stop.
        let lingerAfterExit = Duration.milliseconds(200)

        while !(out.closed && err.closed) {
            let now = ContinuousClock.now
            if status == nil, let deadline, now >= deadline, !timedOut {
                timedOut = true
                kill(-pid, SIGKILL)
            }
            if status == nil { status = reap(pid, blocking: false) }
            if status != nil {
                if exitedAt == nil { exitedAt = now }
                if let exitedAt, now - exitedAt >= lingerAfterExit { break }
            }
            var descriptors = [
                pollfd(fd: out.closed ? -1 : stdoutPipe.read, events: Int16(POLLIN), revents: 0),
                pollfd(fd: err.closed ? -1 : stderrPipe.read, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, 20)
            if ready < 0 && errno != EINTR { break }
            if descriptors[0].revents != 0 { out.fill(from: stdoutPipe.read) }
            if descriptors[1].revents != 0 { err.fill(from: stderrPipe.read) }
        }
        let finalStatus = status ?? reap(pid, blocking: true) ?? .signaled(SIGKILL)
        return Outcome(
            status: finalStatus,
            stdout: out.text,
            stderr: err.text,
            truncated: out.truncated || err.truncated,
            timedOut: timedOut,
            duration: ContinuousClock.now - started
        )
    }

    private static func makePipe(_ options: Options) throws(SubprocessError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe2(&fds, O_CLOEXEC) == 0 else {
            throw SubprocessError(commandLine: options.commandLine, cause: .current("create a pipe"))
        }
        return (fds[0], fds[1])
    }

    /// `waitpid` for one child; nil while it still runs (non-blocking mode).
    static func reap(_ pid: pid_t, blocking: Bool) -> ExitStatus? {
        var status: Int32 = 0
        let result = retryingOnInterrupt { waitpid(pid, &status, blocking ? 0 : WNOHANG) }
        return result == pid ? ExitStatus(waitStatus: status) : nil
    }
}

/// Output of one stream, kept up to a limit; the rest is read and discarded
/// so that the writer never blocks.
struct BoundedBuffer {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    private(set) var truncated = false
    private(set) var closed = false

    init(limit: Int) { self.limit = max(0, limit) }

    mutating func fill(from fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { buffer in
            retryingOnInterrupt { read(fd, buffer.baseAddress, buffer.count) }
        }
        if count <= 0 {
            if count == 0 || errno != EAGAIN { closed = true }
            return
        }
        let room = limit - bytes.count
        if count > room { truncated = true }
        bytes.append(contentsOf: chunk[0..<min(count, max(0, room))])
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
