import Posix

/// Reads dmctl's exit status the way each DM version means it (dm-interface §2.3).
///
/// Exit 0 only says the RPC returned; the reply still has to be read for `result`. A
/// non-zero exit means dmctl itself failed (master unreachable, usage error, file not found,
/// `dmctl.log` not writable) and explains why on stderr as `Error: …`, sometimes with usage
/// text on stdout. v1.0 exits 0 even for usage errors; that case surfaces as output that is
/// not the expected reply.
enum DMCtlExit {
    /// The failure an exit status stands for, or `nil` for exit 0.
    static func failure(status: ExitStatus, timedOut: Bool, deadline: Duration, stdout: String, stderr: String) -> DMError.Failure? {
        if timedOut { return .timedOut(after: deadline) }
        switch status {
        case .exited(0):
            return nil
        case .exited(let code):
            return .exited(status: code, message: message(stderr: stderr, stdout: stdout))
        case .signaled(let signal):
            return .signaled(signal)
        }
    }

    /// How long a quoted message may be.
    static let messageLimit = 300

    /// dmctl's own explanation: the `Error: …` lines of stderr, else its first non-empty
    /// line, else the first non-empty stdout line that is not usage text.
    static func message(stderr: String, stdout: String) -> String {
        let errorLines = lines(stderr).compactMap { line -> String? in
            line.hasPrefix("Error: ") ? String(line.dropFirst("Error: ".count)).trimmingSpaces : nil
        }
        if !errorLines.isEmpty { return clipped(errorLines.joined(separator: "; ")) }
        if let first = lines(stderr).first { return clipped(first) }
        let usageWords = ["Usage:", "Flags:", "Global Flags:", "Use \"", "Run '"]
        if let first = lines(stdout).first(where: { line in !usageWords.contains { line.hasPrefix($0) } }) {
            return clipped(first)
        }
        return ""
    }

    private static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }

    private static func clipped(_ text: String) -> String {
        text.count <= messageLimit ? text : String(text.prefix(messageLimit)) + "…"
    }
}
