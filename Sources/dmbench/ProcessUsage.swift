import Foundation
import Glibc

/// What /proc says about one process: resident memory, threads, CPU time.
struct ProcessUsage: Sendable {
    /// VmRSS, in bytes: private memory plus the pages of shared libraries it touched.
    var residentBytes: Int
    /// RssAnon, in bytes: the process's private memory alone.
    var anonymousBytes: Int
    var threads: Int
    /// utime + stime: the process's own CPU time, all threads.
    var cpu: Duration
    /// cutime + cstime: CPU time of its children that it has waited for (the dmctl runs).
    var childrenCPU: Duration

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads /proc/PID/status (VmRSS, Threads) and /proc/PID/stat (fields 14–17, in clock ticks).
    static func read(pid: pid_t) throws(Unreadable) -> ProcessUsage {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
            throw Unreadable(description: "Process \(pid) is gone: /proc/\(pid) cannot be read.")
        }
        func field(_ name: String) -> Int? {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first }
                .flatMap { Int($0) }
        }
        // The command name in parentheses may hold spaces; the fields after it are fixed.
        guard let close = stat.lastIndex(of: ")"), let rss = field("VmRSS"), let anonymous = field("RssAnon"),
              let threads = field("Threads") else {
            throw Unreadable(description: "/proc/\(pid)/status or stat has an unexpected shape.")
        }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state): utime is field 14, so fields[11].
        guard fields.count > 14, let utime = Int(fields[11]), let stime = Int(fields[12]),
              let cutime = Int(fields[13]), let cstime = Int(fields[14]) else {
            throw Unreadable(description: "/proc/\(pid)/stat has too few fields.")
        }
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessUsage(
            residentBytes: rss * 1024, anonymousBytes: anonymous * 1024, threads: threads,
            cpu: .seconds(Double(utime + stime) / tick), childrenCPU: .seconds(Double(cutime + cstime) / tick))
    }
}
