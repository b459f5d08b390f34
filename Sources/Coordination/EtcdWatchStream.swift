import Foundation
import Synchronization

/// One open `/v3/watch` stream: a long-lived POST whose answer is
/// newline-delimited JSON, one watch response per line, read on a thread
/// of its own.
///
/// The stream goes to the client's preferred endpoint and ends — calling
/// `onEnd` exactly once — on any problem: connection lost, etcd canceling
/// the watch (compaction, invalid token), or no data for the idle timeout
/// (a hung member sends nothing, not even progress notifications). The
/// owner then re-reads and reopens (see `HoldWatcher`); the stream itself
/// never reconnects, so it never silently skips events.
public final class EtcdWatchStream: Sendable {
    public let key: String
    public let endpoint: String
    private let state = Mutex<State>(State())
    private let onEvents: @Sendable ([EtcdWatchEvent]) -> Void
    private let onEnd: @Sendable (EtcdError) -> Void

    private struct State {
        var buffer = Data()
        var ended = false
    }

    init(client: EtcdClient, range: EtcdKeyRange, fromRevision: Int64,
         onEvents: @escaping @Sendable ([EtcdWatchEvent]) -> Void,
         onEnd: @escaping @Sendable (EtcdError) -> Void) {
        let transport = client.transport
        key = range.key
        endpoint = transport.preferredEndpointURL
        self.onEvents = onEvents
        self.onEnd = { error in
            if case .watchCanceled(_, let reason) = error, EtcdTransport.isTokenProblem(code: 0, message: reason) {
                transport.invalidateToken()
            }
            onEnd(error)
        }
        let body = WireJSON.encode(WireWatchRequest(create_request: .init(
            key: range.wireKey, range_end: range.wireRangeEnd,
            start_revision: fromRevision > 0 ? WireInt64(fromRevision) : nil, progress_notify: true)))
        let transfer = CurlTransfer(
            url: endpoint + "/v3/watch", body: body, headers: transport.authorizationHeaders,
            timeout: nil, connectTimeout: transport.configuration.requestTimeout,
            idleTimeout: transport.configuration.watchIdleTimeout, tls: transport.configuration.tls
        )
        let thread = Thread { [self] in run(transfer) }
        thread.name = "etcd-watch"
        thread.start()
    }

    /// Closes the stream; `onEnd` gets a "closed" error if it had not ended yet.
    /// The reading thread notices within about a second.
    public func cancel() {
        end(.watchCanceled(key: key, reason: "the watch was closed by dmswitch"))
    }

    public var hasEnded: Bool { state.withLock { $0.ended } }

    private func run(_ transfer: CurlTransfer) {
        let outcome = transfer.perform(onData: { [self] chunk in receive(chunk) }, isCanceled: { [self] in hasEnded })
        switch outcome {
        case .failed(let failure):
            let reason = failure.kind == .timeout
                ? "the watch stream sent nothing for \(transfer.idleTimeout ?? .zero)"
                : failure.message
            end(.unreachable(operation: "watch \"\(key)\"", failures: [EndpointFailure(endpoint: endpoint, kind: failure.kind, reason: reason)]))
        case .response(let status, _):
            // Whatever is left without a final newline may still hold an error.
            let rest = state.withLock { current -> Data in
                defer { current.buffer.removeAll() }
                return current.buffer
            }
            if !rest.isEmpty, !handle(rest) { return }
            end(.unreachable(operation: "watch \"\(key)\"", failures: [
                EndpointFailure(endpoint: endpoint, kind: .connection, reason: "the watch stream ended (HTTP status \(status))"),
            ]))
        }
    }

    private func end(_ error: EtcdError) {
        let first = state.withLock { current -> Bool in
            defer { current.ended = true }
            return !current.ended
        }
        if first { onEnd(error) }
    }

    /// Splits the stream into lines; returns false to stop reading.
    private func receive(_ chunk: Data) -> Bool {
        let lines = state.withLock { current -> [Data] in
            current.buffer.append(chunk)
            var lines: [Data] = []
            while let newline = current.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(Data(current.buffer[current.buffer.startIndex..<newline]))
                current.buffer.removeSubrange(current.buffer.startIndex...newline)
            }
            return lines
        }
        for line in lines where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0d }) {
            if !handle(line) { return false }
        }
        return !hasEnded
    }

    /// Decodes one line; returns false once the stream has ended.
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
        if !events.isEmpty && !hasEnded { onEvents(events) }
        return true
    }
}

extension EtcdClient {
    /// Opens a watch on `range` from `fromRevision` (0: from now). Events are
    /// delivered in order on the stream's thread; keep `onEvents` short.
    public func watch(
        _ range: EtcdKeyRange,
        fromRevision: Int64,
        onEvents: @escaping @Sendable ([EtcdWatchEvent]) -> Void,
        onEnd: @escaping @Sendable (EtcdError) -> Void
    ) -> EtcdWatchStream {
        EtcdWatchStream(client: self, range: range, fromRevision: fromRevision, onEvents: onEvents, onEnd: onEnd)
    }
}
