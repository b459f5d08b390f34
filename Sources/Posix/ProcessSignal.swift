import Glibc

/// Signals for processes that are not our children (servers started by another
/// `dmsandbox` invocation, pids read from a file).
///
/// For children use `ChildProcess`, which also reaps them.
public enum ProcessSignal {
    /// Sends `signal` to `pid`. A process that no longer exists is an error (ESRCH).
    public static func send(_ signal: Int32, to pid: pid_t) throws(Errno) {
        guard pid > 0 else { throw Errno(EINVAL, "signal process \(pid)") }
        if kill(pid, signal) != 0 { throw Errno.current("send signal \(signal) to process \(pid)") }
    }

    /// True while a process with this pid exists (zombies included).
    public static func exists(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// True when the process exists and is not a zombie: reads `/proc/<pid>/stat`.
    public static func isRunning(_ pid: pid_t) -> Bool {
        guard exists(pid) else { return false }
        guard let file = fopen("/proc/\(pid)/stat", "r") else { return false }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return false }
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The state letter follows the parenthesized command name.
        guard let close = line.lastIndex(of: ")") else { return true }
        let state = line[line.index(after: close)...].trimmingPrefix(" ").first
        return state != "Z" && state != "X"
    }
}
