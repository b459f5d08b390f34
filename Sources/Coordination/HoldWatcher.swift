import Dispatch
import Foundation
import Synchronization

/// Keeps every daemon's view of the holds in etcd current, so that a
/// `hold` given to any daemon reaches all of them within moments.
///
/// Loop (on a dedicated thread): read every hold (one snapshot at revision
/// R), report it, watch from R+1 and apply each event; when the stream ends
/// for any reason, wait a little (0.2 s, doubling to 5 s while etcd stays
/// unreachable or streams keep dying at once) and start over with a fresh read. Re-reading after every
/// disconnect means no event is lost, even after compaction.
public final class HoldWatcher: Sendable {
    /// Whether the view is current.
    public enum Status: Sendable, Equatable {
        /// Read at this revision and watching.
        case synchronized(revision: Int64)
        /// Not watching; the view may be stale until the next `.synchronized`.
        case disconnected(EtcdError)
    }

    let client: EtcdClient
    let keys: CoordinationKeys
    private let onChange: @Sendable ([HoldScope: String]) -> Void
    private let onStatus: @Sendable (Status) -> Void
    private let state = Mutex<State>(State())
    private let wake = DispatchSemaphore(value: 0)

    private struct State {
        var holds: [HoldScope: String] = [:]
        var synchronized = false
        var stopped = false
        var started = false
        var stream: EtcdWatchStream?
        var reported = false
    }

    /// `onChange` gets the whole current set of holds each time it changes
    /// (and once after the first read); `onStatus` every synchronization and
    /// disconnect. Both are called from the watcher's thread or URLSession's
    /// queue; keep them short.
    public init(
        client: EtcdClient,
        keys: CoordinationKeys,
        onChange: @escaping @Sendable ([HoldScope: String]) -> Void,
        onStatus: @escaping @Sendable (Status) -> Void = { _ in }
    ) {
        self.client = client
        self.keys = keys
        self.onChange = onChange
        self.onStatus = onStatus
    }

    /// The holds as last seen.
    public var holds: [HoldScope: String] { state.withLock { $0.holds } }

    /// True while the view is current (read done, stream open).
    public var isSynchronized: Bool { state.withLock { $0.synchronized } }

    public func start() {
        let first = state.withLock { current -> Bool in
            defer { current.started = true }
            return !current.started
        }
        guard first else { return }
        let thread = Thread { [self] in run() }
        thread.name = "etcd-holds-watch"
        thread.start()
    }

    public func stop() {
        let stream = state.withLock { current -> EtcdWatchStream? in
            current.stopped = true
            current.synchronized = false
            return current.stream
        }
        stream?.cancel()
        wake.signal()
    }

    private var stopped: Bool { state.withLock { $0.stopped } }

    private func run() {
        var backoff = Duration.milliseconds(200)
        while !stopped {
            do throws(EtcdError) {
                let snapshot = try client.rangeAll(prefix: keys.holdsPrefix)
                replace(with: SharedState.holds(in: snapshot.keyValues, keys: keys))
                let ended = DispatchSemaphore(value: 0)
                let endError = Mutex<EtcdError?>(nil)
                let stream = client.watch(.prefix(keys.holdsPrefix), fromRevision: snapshot.revision + 1,
                                          onEvents: { [self] events in apply(events) },
                                          onEnd: { error in
                                              endError.withLock { $0 = error }
                                              ended.signal()
                                          })
                let keepGoing = state.withLock { current -> Bool in
                    guard !current.stopped else { return false }
                    current.stream = stream
                    current.synchronized = true
                    return true
                }
                guard keepGoing else {
                    stream.cancel()
                    return
                }
                onStatus(.synchronized(revision: snapshot.revision))
                let opened = ContinuousClock.now
                ended.wait()
                // A stream that dies at once (a permission or token problem)
                // must not turn this into a busy loop of reads.
                backoff = ContinuousClock.now - opened < .seconds(1) ? min(backoff * 2, .seconds(5)) : .milliseconds(200)
                state.withLock {
                    $0.stream = nil
                    $0.synchronized = false
                }
                if stopped { return }
                if let error = endError.withLock({ $0 }) { onStatus(.disconnected(error)) }
            } catch {
                state.withLock { $0.synchronized = false }
                onStatus(.disconnected(error))
                backoff = min(backoff * 2, .seconds(5))
            }
            if wake.wait(timeout: .now() + backoff.timeInterval) == .success { return }
        }
    }

    private func replace(with holds: [HoldScope: String]) {
        let changed = state.withLock { current -> Bool in
            let changed = current.holds != holds || !current.reported
            current.holds = holds
            current.reported = true
            return changed
        }
        if changed { onChange(holds) }
    }

    private func apply(_ events: [EtcdWatchEvent]) {
        let updated = state.withLock { current -> [HoldScope: String]? in
            guard !current.stopped else { return nil }
            let before = current.holds
            for event in events {
                guard let scope = keys.holdScope(forKey: event.keyValue.key) else { continue }
                switch event.kind {
                case .put: current.holds[scope] = event.keyValue.text
                case .delete: current.holds[scope] = nil
                }
            }
            return current.holds == before ? nil : current.holds
        }
        if let updated { onChange(updated) }
    }
}
