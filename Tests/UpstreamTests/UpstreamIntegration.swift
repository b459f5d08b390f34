import Sandbox
import Synchronization
import Testing
import Upstream

/// Every test that starts MariaDB servers, nested here so that `.serialized`
/// runs them one at a time (the machine has two cores).
@Suite("Upstream and sandbox against real MariaDB servers", .serialized)
struct UpstreamIntegration {}

/// Collects observations delivered on probe threads.
final class ObservationLog: Sendable {
    private let entries = Mutex<[InstanceObservation]>([])

    func append(_ observation: InstanceObservation) {
        entries.withLock { $0.append(observation) }
    }

    /// The observations of `instance` whose probe started in `window`.
    func observations(of instance: InstanceAddress, startedIn window: Range<ContinuousClock.Instant>) -> [InstanceObservation] {
        entries.withLock { $0.filter { $0.instance == instance && window.contains($0.startedAt) } }
    }
}

/// Probing helpers shared by the integration tests.
extension Sandbox {
    /// An observation pool with the sandbox's monitoring user.
    func monitorPool(_ options: ProbeOptions = ProbeOptions()) throws -> ObservationPool {
        ObservationPool(credentials: try credentials(.monitor), options: options)
    }

    /// The state of instance `number`, which must be reachable.
    func observedState(_ number: Int, pool: ObservationPool) async throws -> InstanceState {
        let observation = await pool.observe(try instance(number).address)
        return try #require(observation.state, "db\(number) should be reachable: \(observation)")
    }
}
