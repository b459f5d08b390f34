/// Whether etcd can be used for coordination right now.
///
/// Proven by a linearizable read: it needs a leader and a quorum round
/// (ReadIndex), so a member that lost its peers cannot answer it. A daemon
/// refuses to start a new run while this reports a problem.
public struct EtcdHealth: Sendable, Equatable, CustomStringConvertible {
    /// The endpoint that answered, when one did.
    public var endpoint: String?
    /// The store revision seen.
    public var revision: Int64?
    public var latency: Duration?
    /// Why etcd is not usable; nil when healthy.
    public var problem: EtcdError?

    public var isHealthy: Bool { problem == nil }

    public var description: String {
        if let problem { return "etcd is not usable: \(problem)" }
        let milliseconds = latency.map { Int($0.timeInterval * 1000) } ?? 0
        return "etcd has quorum: \(endpoint ?? "?") answered a linearizable read at revision \(revision ?? 0) in \(milliseconds) ms."
    }

    /// Reads `<prefix>/health` linearizably with a short per-endpoint
    /// `timeout`; bounded by `endpoints.count × timeout`.
    public static func check(client: EtcdClient, keys: CoordinationKeys, timeout: Duration = .seconds(2)) -> EtcdHealth {
        let started = ContinuousClock.now
        do {
            let request = EtcdCall.range(EtcdRangeQuery(.key(keys.health), limit: 1, keysOnly: true)).withTimeout(timeout)
            let result = try client.send(request)
            return EtcdHealth(endpoint: client.preferredEndpoint, revision: result.revision,
                              latency: ContinuousClock.now - started, problem: nil)
        } catch {
            return EtcdHealth(endpoint: nil, revision: nil, latency: ContinuousClock.now - started, problem: error)
        }
    }
}
