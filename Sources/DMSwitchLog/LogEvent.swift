/// One thing that happened, with its priority and context, rendered once for every sink.
public struct LogEvent: Sendable {
    public let priority: LogPriority
    /// The stable sentence (tests and operators match on it).
    public let message: String
    /// The context in the order given.
    public let context: [(key: String, value: LogValue)]
    /// `message key=value …` on one line, secrets redacted.
    public let line: String

    public init(_ priority: LogPriority, _ message: String, context: [(key: String, value: LogValue)] = []) {
        self.priority = priority
        self.message = message
        self.context = context
        self.line = LogLine.render(message, context: context)
    }
}

/// Where rendered events go: syslog, the terminal, a test recorder.
///
/// `write` is called on the logging thread and must not block for long: the decision loop logs.
public protocol LogSink: Sendable {
    func write(_ event: LogEvent)
}
