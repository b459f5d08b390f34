import DM
import DMSwitchConfig
import DMSwitchLog
import Failover
import Upstream

/// What one group's shell acts on, resolved once from the configuration: the
/// DM backend, the probes, and how DM is repointed for this group.
struct GroupResources: Sendable {
    /// The DM source-id, which is also the group's name.
    let name: String
    let dm: any DMControl
    /// Probes of the group's instances, each on its own thread, connections kept.
    let probes: ObservationPool
    /// Probes through the VIP open a fresh connection each time: a kept one
    /// would still reach the server the VIP pointed at when it was opened.
    let vipProbes: ObservationPool?
    let switching: DMSwitchConfiguration.Switching
    /// Only these tasks of the source are managed; nil manages every task.
    let taskFilter: Set<String>?
    /// Where hooks run (the state directory): a known, writable place.
    let hookDirectory: String
    /// The daemon's log with `group=`, for the external commands the group runs.
    let log: EventLog
    /// The configuration these resources were built from, to tell on reload whether the shell
    /// must be rebuilt although the core's settings of the group did not change.
    let origin: Origin

    /// Everything of the configuration that goes into a group's resources and not into the
    /// core's `GroupSettings`.
    struct Origin: Equatable, Sendable {
        var switching: DMSwitchConfiguration.Switching
        var workerAddress: HostPort?
        var tasks: [String]?
        var dm: DMSwitchConfiguration.DM
        var credentials: MySQLCredentials
        var probeOptions: ProbeOptions
        var hookDirectory: String
    }

    var vip: HostPort? { switching.vipAddress }

    /// The saved source file (v2+ address scenario).
    var sourceFile: String? {
        if case .address(let change) = switching, case .sourceFile(let path) = change.repoint { return path }
        return nil
    }

    /// The DM-Ansible settings (v1.0 address scenario).
    var dmAnsible: DMSwitchConfiguration.DMAnsible? {
        if case .address(let change) = switching, case .dmAnsible(let ansible) = change.repoint { return ansible }
        return nil
    }
}

extension DMSwitchConfiguration.Switching {
    var vipAddress: HostPort? {
        if case .vip(let vip) = self { return vip.address }
        return nil
    }
}

extension Failover.InstanceAddress {
    init(_ address: HostPort) {
        self.init(host: address.host, port: address.port)
    }
}

extension Upstream.InstanceAddress {
    init(_ address: HostPort) {
        self.init(host: address.host, port: address.port)
    }
}
