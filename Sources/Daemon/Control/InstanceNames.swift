import DMSwitchConfig
import Failover

/// The operator's names for instances (`name = "db1"` in the configuration),
/// so status, check and switchover speak in them rather than in addresses.
struct InstanceNames: Sendable {
    private let byGroup: [String: [(name: String, address: Failover.InstanceAddress)]]

    init(_ config: DMSwitchConfiguration) {
        byGroup = Dictionary(config.groups.map { group in
            (group.sourceID, group.instances.map { ($0.name, Failover.InstanceAddress($0.address)) })
        }, uniquingKeysWith: { first, _ in first })
    }

    func name(of address: Failover.InstanceAddress, in group: String) -> String {
        byGroup[group]?.first { $0.address == address }?.name ?? address.description
    }

    /// An instance given by name or by `host:port`.
    func address(of text: String, in group: String) -> Failover.InstanceAddress? {
        guard let instances = byGroup[group] else { return nil }
        if let named = instances.first(where: { $0.name == text }) { return named.address }
        return instances.first { $0.address.description == text }?.address
    }

    func contains(_ group: String) -> Bool { byGroup[group] != nil }

    /// Every configured group, sorted.
    var groups: [String] { byGroup.keys.sorted() }
}
