import Failover
import Synchronization

/// The operator's instance names as of the configuration in effect, replaced on reload while
/// control connections read them.
final class SharedInstanceNames: Sendable {
    private let current: Mutex<InstanceNames>

    init(_ names: InstanceNames) {
        current = Mutex(names)
    }

    var snapshot: InstanceNames { current.withLock { $0 } }

    func replace(with names: InstanceNames) {
        current.withLock { $0 = names }
    }

    func name(of address: Failover.InstanceAddress, in group: String) -> String {
        snapshot.name(of: address, in: group)
    }

    func address(of text: String, in group: String) -> Failover.InstanceAddress? {
        snapshot.address(of: text, in: group)
    }

    func contains(_ group: String) -> Bool { snapshot.contains(group) }
}
