import Foundation
import Synchronization
import Coordination
import Sandbox

/// Shared setup of the integration suites: clients and coordinators against a real cluster.
enum EtcdTestSupport {
    static func client(_ endpoints: [String], timeout: Duration = .seconds(2), credentials: EtcdCredentials? = nil) throws -> EtcdClient {
        try EtcdClient(EtcdClientConfiguration(endpoints: endpoints, requestTimeout: timeout, credentials: credentials,
                                               watchIdleTimeout: .seconds(5)))
    }

    static func coordinator(_ cluster: EtcdCluster, name: String, ttl: Duration = .seconds(2), timeout: Duration = .seconds(2)) throws -> EtcdCoordinator {
        let owner = OwnerIdentity(id: "\(name)/\(UUID().uuidString.prefix(8))", host: name, pid: 1)
        return EtcdCoordinator(client: try client(cluster.clientURLs, timeout: timeout), keys: try CoordinationKeys(prefix: "/test"),
                               owner: owner, leaseTTL: ttl)
    }

    /// Polls `condition` every 50 ms until it holds or `limit` passes.
    static func eventually(within limit: Duration, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }
}

/// Collects callback values from other threads for assertions.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func record(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
    var last: Value? { values.withLock { $0.last } }
}

extension LeaseAcquisition {
    var lease: GroupLease? {
        if case .acquired(let lease) = self { return lease }
        return nil
    }
}
