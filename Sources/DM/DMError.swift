/// A dmctl command that did not do what was asked, with the reason.
///
/// `description` is one full sentence naming the action and the cause, e.g.
/// `Could not pause DM task "orders": dmctl exited 1 ("task not found").` The typed `failure`
/// lets the runbook tell "DM refused" (retry is pointless) from "dmctl timed out" (the outcome
/// is unknown: query the status before doing anything else).
public struct DMError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why a dmctl command failed.
    public enum Failure: Hashable, Sendable {
        /// dmctl exited non-zero; `message` is its `Error: …` text (or the start of its output).
        case exited(status: Int32, message: String)
        /// A signal ended dmctl before the deadline.
        case signaled(Int32)
        /// dmctl was still running at the deadline and its process group was killed; DM may or
        /// may not have applied the command.
        case timedOut(after: Duration)
        /// dmctl could not be started at all.
        case couldNotStart(String)
        /// DM answered, with `result: false` at the top level or in some sources or workers.
        case rejected(message: String?, failures: [DMMemberOutcome])
        /// dmctl printed something that is not the expected reply.
        case unexpectedOutput(DMOutputError)
        /// The command does not exist in the configured DM version.
        case unsupported(String)
        /// The backend's configuration cannot work (e.g. no DM-master address).
        case invalidConfiguration(String)
    }

    /// The action after "Could not", e.g. `pause DM task "orders"`.
    public var action: String
    public var failure: Failure

    public init(action: String, failure: Failure) {
        self.action = action
        self.failure = failure
    }

    public var description: String { "Could not \(action): \(cause)." }

    /// The cause as a clause, without the final period.
    public var cause: String {
        switch failure {
        case .exited(let status, let message):
            return message.isEmpty ? "dmctl exited \(status) without a message" : "dmctl exited \(status) (\"\(message)\")"
        case .signaled(let signal):
            return "dmctl was killed by signal \(signal)"
        case .timedOut(let after):
            return "dmctl did not finish within \(DMDuration.words(after)) and was killed, so whether DM applied the command is unknown"
        case .couldNotStart(let reason):
            return "dmctl could not be started (\(reason.trimmingTrailingPeriod))"
        case .rejected(let message, let failures):
            var parts: [String] = []
            if let message { parts.append("DM-master answered \"\(message)\"") }
            parts += failures.map { member in
                member.message.map { "\(member.subject) answered \"\($0)\"" } ?? "\(member.subject) answered result false"
            }
            return parts.isEmpty ? "DM-master answered result false" : parts.joined(separator: "; ")
        case .unexpectedOutput(let error):
            return error.description
        case .unsupported(let reason), .invalidConfiguration(let reason):
            return reason.trimmingTrailingPeriod
        }
    }

    /// DM error codes named in the messages (`[code=46010:…]`, `ErrCode:36069`), in order of
    /// appearance, so callers can match on 46007/46010/46023 and friends without parsing text.
    public var codes: [Int] {
        switch failure {
        case .exited(_, let message):
            return DMErrorCodes.find(in: message)
        case .rejected(let message, let failures):
            return DMErrorCodes.find(in: ([message] + failures.map(\.message)).compactMap { $0 }.joined(separator: "\n"))
        default:
            return []
        }
    }

    /// Whether DM answered and refused, as opposed to dmctl or the transport failing.
    public var isRejection: Bool {
        if case .rejected = failure { return true }
        return false
    }

    /// DM-master refused because a named source does not exist: a plain `fmt.Errorf`
    /// message, `sources [x] haven't been added`, without an error code (dm-interface §3.1).
    /// For `query-status -s` after `operate-source stop` this is the status: no such source.
    public var isSourceNotAdded: Bool {
        guard case .rejected(let message?, _) = failure else { return false }
        return message.hasPrefix("sources [") && message.contains("] haven't been added")
    }
}

/// Finds DM error codes in message text.
public enum DMErrorCodes {
    /// Codes in `[code=NNNNN:…]` (terror strings) and `ErrCode:NNNNN` (worker errors folded into
    /// a 38032 message), without repeats, in order of appearance.
    public static func find(in text: String) -> [Int] {
        var codes: [Int] = []
        for match in text.matches(of: #/(?:\[code=|ErrCode:\s*)(\d{1,9})/#) {
            if let code = Int(match.output.1), !codes.contains(code) { codes.append(code) }
        }
        return codes
    }
}

/// Durations in words for messages ("30 s", "1.5 s", "250 ms").
enum DMDuration {
    static func words(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(milliseconds / 1000).\(String(milliseconds % 1000).leftPadded(to: 3).trimmingZeros) s"
    }
}

extension String {
    var trimmingTrailingPeriod: String { hasSuffix(".") ? String(dropLast()) : self }

    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    fileprivate var trimmingZeros: String {
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
