import Synchronization

/// The daemon's logger: `log(.notice, "Switched DM to a new upstream", ["group": "orders", …])`.
///
/// A value type over shared sinks, so a run can carry its id on every line without passing it to
/// each call: `let runLog = log.with(["group": "orders", "run": "r-7"])`. Events below the minimum
/// priority are dropped before rendering. Every sink is non-blocking or close to it (the syslog
/// writer drops on a full socket), so logging never stalls a decision.
public struct EventLog: Sendable {
    private let shared: Shared
    private let baseContext: [(key: String, value: LogValue)]

    /// Logs to `sinks`, dropping events less important than `minimumPriority`.
    public init(sinks: [any LogSink], minimumPriority: LogPriority = .info) {
        self.shared = Shared(sinks: sinks, minimumPriority: minimumPriority)
        self.baseContext = []
    }

    private init(shared: Shared, baseContext: [(key: String, value: LogValue)]) {
        self.shared = shared
        self.baseContext = baseContext
    }

    /// A logger that writes nowhere (for code paths that must log but are run in isolation).
    public static var discarding: EventLog { EventLog(sinks: []) }

    /// Logs one event: a stable sentence plus context, in the order written.
    public func log(_ priority: LogPriority, _ message: String, _ context: KeyValuePairs<String, LogValue> = [:]) {
        guard shared.accepts(priority) else { return }
        let merged = baseContext + context.map { (key: $0.key, value: $0.value) }
        shared.write(LogEvent(priority, message, context: merged))
    }

    /// Logs one event whose context is built at run time (optional keys left out).
    public func log(_ priority: LogPriority, _ message: String, context: [(key: String, value: LogValue)]) {
        guard shared.accepts(priority) else { return }
        shared.write(LogEvent(priority, message, context: baseContext + context))
    }

    /// A logger that puts `context` before the context of every event (e.g. group and run id).
    public func with(_ context: KeyValuePairs<String, LogValue>) -> EventLog {
        EventLog(shared: shared, baseContext: baseContext + context.map { (key: $0.key, value: $0.value) })
    }

    /// The least important priority still written; changed on reload.
    public var minimumPriority: LogPriority {
        get { shared.minimum.withLock { $0 } }
        nonmutating set { shared.minimum.withLock { $0 = newValue } }
    }

    private final class Shared: Sendable {
        let sinks: [any LogSink]
        let minimum: Mutex<LogPriority>

        init(sinks: [any LogSink], minimumPriority: LogPriority) {
            self.sinks = sinks
            self.minimum = Mutex(minimumPriority)
        }

        func accepts(_ priority: LogPriority) -> Bool {
            priority <= minimum.withLock { $0 }
        }

        func write(_ event: LogEvent) {
            for sink in sinks { sink.write(event) }
        }
    }
}
