import Failover
import Synchronization

/// The latest things a group's shell saw (DM's tasks, each instance's answer)
/// and the latest decision, kept for `status`.
///
/// The core decides on the same observations; this copy only enriches the
/// status report with details the core does not need to keep (gtid-E,
/// read_only, each task's gtid-S).
final class Sightings: Sendable {
    private struct Seen {
        var dm: DMStatus?
        var instances: [InstanceAddress: InstanceState] = [:]
        var lastDecision: [String: String] = [:]
    }

    private let seen = Mutex(Seen())

    func recordDM(_ status: DMStatus) {
        seen.withLock { $0.dm = status }
    }

    func record(_ observation: InstanceObservation) {
        guard let state = observation.state else { return }
        seen.withLock { $0.instances[observation.instance] = state }
    }

    func recordDecision(_ sentence: String, group: String) {
        seen.withLock { $0.lastDecision[group] = sentence }
    }

    var dm: DMStatus? { seen.withLock { $0.dm } }

    func state(of instance: InstanceAddress) -> InstanceState? {
        seen.withLock { $0.instances[instance] }
    }

    func lastDecision(of group: String) -> String? {
        seen.withLock { $0.lastDecision[group] }
    }
}
