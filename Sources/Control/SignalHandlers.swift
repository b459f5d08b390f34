import Dispatch
import Glibc

/// SIGTERM, SIGINT and SIGHUP handled on a dispatch queue, SIGPIPE ignored.
///
/// Each signal is set to SIG_IGN before its source exists (otherwise the default action, death,
/// applies while libdispatch registers the source). Registration is asynchronous and a signal
/// arriving before it is lost, so `install` waits until libdispatch's own handler is in place:
/// when it returns, no handled signal is dropped. Handlers are `@Sendable` closures; a closure
/// written in top-level code would be inferred main-actor isolated and crash when it fires.
///
/// `@unchecked Sendable`: the only state is an immutable array of dispatch sources, and dispatch
/// sources are thread-safe objects (cancel() may be called from any thread, more than once).
public final class SignalHandlers: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    private init(sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }

    /// Installs `handlers` (signal number → action) on `queue` and ignores SIGPIPE.
    /// Keep the returned object alive as long as the handlers should run.
    public static func install(
        _ handlers: [Int32: @Sendable () -> Void], queue: DispatchQueue = DispatchQueue(label: "dmswitch.signals")
    ) -> SignalHandlers {
        signal(SIGPIPE, SIG_IGN)
        var sources: [any DispatchSourceSignal] = []
        for (number, handler) in handlers.sorted(by: { $0.key < $1.key }) {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { @Sendable in handler() }
            source.resume()
            sources.append(source)
        }
        waitForRegistration(of: Array(handlers.keys))
        return SignalHandlers(sources: sources)
    }

    /// Stops handling; the signals stay ignored.
    public func cancel() {
        for source in sources { source.cancel() }
    }

    /// Waits (up to 2 s) until libdispatch has replaced SIG_IGN with its handler for every signal.
    private static func waitForRegistration(of signals: [Int32]) {
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline {
            if signals.allSatisfy({ !isIgnored($0) }) { return }
            usleep(1_000)
        }
    }

    /// Whether the disposition of `number` is SIG_IGN (the handler pointer value 1).
    static func isIgnored(_ number: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return false }
        let handler = withUnsafeBytes(of: current.__sigaction_handler) { $0.load(as: UInt.self) }
        return handler == 1
    }
}
