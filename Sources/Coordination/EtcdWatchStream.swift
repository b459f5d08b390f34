import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// One open `/v3/watch` stream: a long-lived POST whose answer is
/// newline-delimited JSON, one watch response per line.
///
/// The stream goes to the client's preferred endpoint and ends — calling
/// `onEnd` exactly once — on any problem: connection lost, etcd canceling
/// the watch (compaction, invalid token), or no data for the idle timeout
/// (a hung member sends nothing, not even progress notifications). The
/// owner then re-reads and reopens (see `HoldWatcher`); the stream itself
/// never reconnects, so it never silently skips events.
public final class EtcdWatchStream: Sendable {
    private let delegate: WatchDelegate
    private let session: URLSession

    init(client: EtcdClient, range: EtcdKeyRange, fromRevision: Int64,
         onEvents: @escaping @Sendable ([EtcdWatchEvent]) -> Void,
         onEnd: @escaping @Sendable (EtcdError) -> Void) {
        let transport = client.transport
        let body = WireJSON.encode(WireWatchRequest(create_request: .init(
            key: range.wireKey, range_end: range.wireRangeEnd,
            start_revision: fromRevision > 0 ? WireInt64(fromRevision) : nil, progress_notify: true)))
        let streamRequest = transport.streamRequest(path: "/v3/watch", body: body)
        delegate = WatchDelegate(
            key: range.key, endpoint: streamRequest?.1 ?? transport.preferredEndpointURL,
            idleTimeout: transport.configuration.watchIdleTimeout,
            onEvents: onEvents,
            onEnd: { error in
                if case .watchCanceled(_, let reason) = error, EtcdTransport.isTokenProblem(code: 0, message: reason) {
                    transport.invalidateToken()
                }
                onEnd(error)
            })
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 86_400 * 365
        configuration.timeoutIntervalForResource = 86_400 * 365
        configuration.urlCache = nil
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        guard let (request, _) = streamRequest else {
            delegate.end(.unreachable(operation: "watch \"\(range.key)\"", failures: []))
            return
        }
        let task = session.dataTask(with: request)
        delegate.start(task: task)
    }

    /// Closes the stream; `onEnd` is called (with a "canceled" error) if it had not ended yet.
    public func cancel() {
        delegate.end(.watchCanceled(key: delegate.key, reason: "the watch was closed by dmswitch"))
        session.invalidateAndCancel()
    }

    deinit {
        session.invalidateAndCancel()
    }
}

extension EtcdClient {
    /// Opens a watch on `range` from `fromRevision` (0: from now). Events are
    /// delivered in order on URLSession's delegate queue; keep `onEvents` short.
    public func watch(
        _ range: EtcdKeyRange,
        fromRevision: Int64,
        onEvents: @escaping @Sendable ([EtcdWatchEvent]) -> Void,
        onEnd: @escaping @Sendable (EtcdError) -> Void
    ) -> EtcdWatchStream {
        EtcdWatchStream(client: self, range: range, fromRevision: fromRevision, onEvents: onEvents, onEnd: onEnd)
    }
}

/// URLSession's delegate for one watch stream: splits the body into lines and decodes them.
private final class WatchDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: NSObject is not Sendable; all mutable state is in the Mutex.
    let key: String
    let endpoint: String
    let idleTimeout: Duration
    let onEvents: @Sendable ([EtcdWatchEvent]) -> Void
    let onEndHandler: @Sendable (EtcdError) -> Void
    private let state = Mutex<State>(State())

    private struct State {
        var buffer = Data()
        var lastData = ContinuousClock.now
        var ended = false
        var task: URLSessionDataTask?
    }

    init(key: String, endpoint: String, idleTimeout: Duration,
         onEvents: @escaping @Sendable ([EtcdWatchEvent]) -> Void, onEnd: @escaping @Sendable (EtcdError) -> Void) {
        self.key = key
        self.endpoint = endpoint
        self.idleTimeout = idleTimeout
        self.onEvents = onEvents
        self.onEndHandler = onEnd
    }

    func start(task: URLSessionDataTask) {
        state.withLock {
            $0.task = task
            $0.lastData = .now
        }
        task.resume()
        scheduleIdleCheck()
    }

    func end(_ error: EtcdError) {
        let task = state.withLock { current -> URLSessionDataTask?? in
            guard !current.ended else { return .none }
            current.ended = true
            return .some(current.task)
        }
        guard case .some(let running) = task else { return }
        running?.cancel()
        onEndHandler(error)
    }

    private func scheduleIdleCheck() {
        let interval = max(0.05, idleTimeout.timeInterval / 4)
        DispatchQueue.global().asyncAfter(deadline: .now() + interval) { [weak self] in
            guard let self else { return }
            let (ended, idle) = self.state.withLock { ($0.ended, ContinuousClock.now - $0.lastData) }
            if ended { return }
            if idle >= self.idleTimeout {
                self.end(.unreachable(operation: "watch \"\(self.key)\"", failures: [
                    EndpointFailure(endpoint: self.endpoint, kind: .timeout, reason: "the watch stream sent nothing for \(self.idleTimeout)"),
                ]))
            } else {
                self.scheduleIdleCheck()
            }
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let lines = state.withLock { current -> [Data] in
            current.lastData = .now
            current.buffer.append(data)
            var lines: [Data] = []
            while let newline = current.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(current.buffer[current.buffer.startIndex..<newline])
                current.buffer.removeSubrange(current.buffer.startIndex...newline)
            }
            return lines
        }
        for line in lines where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0d }) {
            if !handle(Data(line)) { return }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        // A final line without a newline may still hold an error.
        let rest = state.withLock { current -> Data in
            defer { current.buffer.removeAll() }
            return current.buffer
        }
        if !rest.isEmpty, !handle(rest) { return }
        let failure: EndpointFailure
        if let error {
            failure = EtcdTransport.classify(error, endpoint: endpoint, timedOut: false, timeout: idleTimeout)
        } else {
            failure = EndpointFailure(endpoint: endpoint, kind: .connection, reason: "the watch stream ended")
        }
        end(.unreachable(operation: "watch \"\(key)\"", failures: [failure]))
    }

    /// Returns false once the stream has ended.
    private func handle(_ line: Data) -> Bool {
        let operation = "watch \"\(key)\""
        guard let message = try? JSONDecoder().decode(WireWatchStream.self, from: line), message.result != nil || message.error != nil else {
            if let problem = EtcdTransport.errorBody(line) {
                end(.server(operation: operation, endpoint: endpoint, code: problem.code, message: EtcdTransport.etcdMessage(problem.message)))
            } else {
                let excerpt = String(decoding: line.prefix(200), as: UTF8.self)
                end(.malformedResponse(operation: operation, endpoint: endpoint, detail: "unexpected line \"\(excerpt)\""))
            }
            return false
        }
        if let error = message.error {
            end(.server(operation: operation, endpoint: endpoint, code: error.grpc_code ?? 0,
                        message: EtcdTransport.etcdMessage(error.message ?? "unknown error")))
            return false
        }
        guard let result = message.result else { return true }
        if result.compact_revision.int64 > 0 {
            end(.watchCanceled(key: key, reason: "revision \(result.compact_revision.int64) was compacted"))
            return false
        }
        if result.canceled == true {
            end(.watchCanceled(key: key, reason: result.cancel_reason ?? "no reason given"))
            return false
        }
        var events: [EtcdWatchEvent] = []
        for event in result.events ?? [] {
            guard let wire = event.kv, let kv = try? EtcdKeyValue(wire, operation: operation, endpoint: endpoint) else {
                end(.malformedResponse(operation: operation, endpoint: endpoint, detail: "an event has no readable key"))
                return false
            }
            events.append(EtcdWatchEvent(kind: event.type == "DELETE" ? .delete : .put, keyValue: kv))
        }
        if !events.isEmpty && !state.withLock({ $0.ended }) { onEvents(events) }
        return true
    }
}
