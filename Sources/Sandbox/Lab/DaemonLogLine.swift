/// One line dmswitchd printed in the foreground (`hh:mm:ss PRIORITY sentence key=value …`),
/// stamped with when the lab saw it.
///
/// The printed time has whole seconds only; `seenAt` is what the demo and the benchmark
/// measure with (the follower reads the log every few milliseconds, and dmswitchd writes each
/// line with one write(2) as it decides).
public struct DaemonLogLine: Sendable, CustomStringConvertible {
    public let text: String
    public let seenAt: ContinuousClock.Instant

    public init(text: String, seenAt: ContinuousClock.Instant) {
        self.text = text
        self.seenAt = seenAt
    }

    public var description: String { text }

    /// `NOTICE`, `WARNING`, … (the second word); empty for a line of another shape.
    public var priority: String {
        let words = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        return words.count >= 2 ? String(words[1]) : ""
    }

    /// The sentence and its context, without the time and the priority.
    public var message: String {
        guard text.count > 9, text.dropFirst(8).first == " " else { return text }
        return String(text.dropFirst(9).drop { $0 != " " }.drop { $0 == " " })
    }

    /// The decision code (`code=`), or the event name of a run notice (`event=`).
    public var code: String? { self["code"] }

    /// The value of the context key `key` (logfmt: bare, or quoted with `\"` and `\\`
    /// escapes); the last occurrence wins, since context follows the sentence.
    public subscript(key: String) -> String? {
        guard let range = text.range(of: " \(key)=", options: .backwards) else { return nil }
        var rest = text[range.upperBound...]
        guard rest.first == "\"" else { return String(rest.prefix { $0 != " " }) }
        rest = rest.dropFirst()
        var value = ""
        var escaped = false
        for character in rest {
            if escaped {
                value.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return value
            } else {
                value.append(character)
            }
        }
        return value
    }

    /// For `dmctl command finished` lines: the command (`query-status`, `pause-task`, …).
    public var dmctlCommand: String? {
        message.hasPrefix("dmctl command finished ") ? self["command"] : nil
    }

    /// For `hook finished` lines: the hook's program name.
    public var hookCommand: String? {
        message.hasPrefix("hook finished ") ? self["command"] : nil
    }

    /// The `seconds=` of a dmctl or hook line (0 when absent).
    public var seconds: Double {
        self["seconds"].flatMap(Double.init) ?? 0
    }

    /// The sentence alone, without its `key=value` context (for narrating).
    public var sentence: String {
        let message = message
        guard let first = Self.contextKeys.compactMap({ message.range(of: " \($0)=") }).map(\.lowerBound).min() else {
            return message
        }
        return String(message[..<first])
    }

    /// Keys dmswitchd puts in the context of decisions and dmctl lines.
    static let contextKeys = ["code", "event", "group", "run", "step", "command", "seconds", "result"]
}
