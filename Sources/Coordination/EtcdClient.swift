import Foundation

/// etcd v3 over its HTTP/JSON gateway, with endpoint failover, per-request
/// timeouts, TLS (CA, client certificate) and user/password authentication.
///
/// Three ways to call, one transport:
/// - blocking (`send(_:)` and the named methods): the request runs on the
///   calling thread, which is what the daemon's own threads want. Never call
///   these from the Swift concurrency pool.
/// - async (`send(_:) async`): the request runs on a thread of its own and
///   the caller suspends, so the pool is never blocked.
/// - callback (`send(_:completion:)`): the same thread, calling back at the end.
///
/// Every call is bounded: each endpoint gets at most the request timeout,
/// so a call returns within `endpoints.count × requestTimeout` (plus one
/// authentication round when a token must be fetched).
public final class EtcdClient: Sendable {
    let transport: EtcdTransport

    /// Validates the configuration (endpoints, timeouts, TLS files) without contacting etcd.
    public init(_ configuration: EtcdClientConfiguration) throws(EtcdConfigurationError) {
        transport = EtcdTransport(configuration: try ValidatedEtcdConfiguration(configuration))
    }

    /// The endpoints in configuration order, normalized.
    public var endpoints: [String] { transport.configuration.endpoints }

    /// The endpoint the next call tries first: the last one that answered.
    public var preferredEndpoint: String { transport.preferredEndpointURL }

    public var requestTimeout: Duration { transport.configuration.requestTimeout }

    // MARK: The three calling styles

    /// Blocks the calling thread until the call ends. Not for the concurrency pool.
    public func send<Response>(_ request: EtcdRequest<Response>) throws(EtcdError) -> Response {
        try transport.call(request)
    }

    /// Runs the call on a new thread and calls `completion` there.
    public func send<Response>(_ request: EtcdRequest<Response>, completion: @escaping @Sendable (Result<Response, EtcdError>) -> Void) {
        let thread = Thread { [transport] in
            completion(Result { () throws(EtcdError) in try transport.call(request) })
        }
        thread.name = "etcd-call"
        thread.start()
    }

    /// Suspends while the call runs on a thread of its own.
    public func send<Response>(_ request: EtcdRequest<Response>) async throws(EtcdError) -> Response {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Response, EtcdError>, Never>) in
            send(request) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    // MARK: Blocking conveniences

    public func range(_ query: EtcdRangeQuery) throws(EtcdError) -> EtcdRangeResult {
        try send(EtcdCall.range(query))
    }

    /// The key's current value, or nil if it does not exist (linearizable read).
    public func get(_ key: String) throws(EtcdError) -> EtcdKeyValue? {
        try range(EtcdRangeQuery(.key(key))).keyValues.first
    }

    @discardableResult
    public func put(_ key: String, value: Data, lease: Int64 = 0) throws(EtcdError) -> Int64 {
        try send(EtcdCall.put(key: key, value: value, lease: lease))
    }

    @discardableResult
    public func delete(_ range: EtcdKeyRange) throws(EtcdError) -> Int64 {
        try send(EtcdCall.deleteRange(range))
    }

    public func txn(_ txn: EtcdTxn) throws(EtcdError) -> EtcdTxnResult {
        try send(EtcdCall.txn(txn))
    }

    public func grantLease(ttlSeconds: Int64) throws(EtcdError) -> EtcdLease {
        try send(EtcdCall.grantLease(ttlSeconds: ttlSeconds))
    }

    /// Remaining TTL in seconds; 0 when the lease is gone.
    public func keepAlive(lease: Int64) throws(EtcdError) -> Int64 {
        try send(EtcdCall.keepAlive(lease: lease))
    }

    public func revokeLease(_ lease: Int64) throws(EtcdError) {
        try send(EtcdCall.revokeLease(lease))
    }

    /// Every key under `prefix`, ascending by key, fetched in pages so that a
    /// long journal does not become one huge answer. All pages are read at
    /// the revision of the first one, so the result is one consistent snapshot.
    public func rangeAll(prefix: String, pageSize: Int64 = 500) throws(EtcdError) -> (keyValues: [EtcdKeyValue], revision: Int64) {
        let whole = EtcdKeyRange.prefix(prefix)
        var collected: [EtcdKeyValue] = []
        var start = whole.key
        var revision: Int64 = 0
        while true {
            var query = EtcdRangeQuery(EtcdKeyRange(key: start, rangeEnd: whole.rangeEnd), limit: pageSize)
            query.revision = revision
            let page = try range(query)
            if revision == 0 { revision = page.revision }
            collected += page.keyValues
            guard page.more, let last = page.keyValues.last else { break }
            start = last.key + "\u{0}"
        }
        return (collected, revision)
    }
}
