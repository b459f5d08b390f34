import DM
import DMSwitchConfig
import DMSwitchLog
import Failover
import GTID
import Upstream

extension GroupResources {
    /// Resolves one configured group: its DM backend, its probe pools and its
    /// repoint settings. Nothing is contacted here. Every dmctl run is logged
    /// with its duration (`CommandLog`).
    ///
    /// On reload, `previous` (the group's running resources) lends its probe pools when
    /// credentials and timeouts are the same: their threads and kept connections go on, and no
    /// probe in flight is interrupted (an interrupted probe would count as a failure).
    static func make(
        _ group: DMSwitchConfiguration.Group, config: DMSwitchConfiguration, credentials: MySQLCredentials, log: EventLog,
        reusing previous: GroupResources? = nil
    ) throws(SettingsError) -> GroupResources {
        let probeOptions = ProbeOptions(
            timeouts: ConnectionTimeouts(connect: config.detection.timeout, read: config.detection.timeout, write: config.detection.timeout))
        var vipOptions = probeOptions
        vipOptions.reuseConnection = false
        let groupLog = log.with(["group": LogValue(group.sourceID)])
        let dm: DMCtlBackend
        do {
            dm = try DMCtlBackend(configuration: dmConfiguration(config, group: group), transcript: CommandLog.dmctl(groupLog))
        } catch {
            throw SettingsError(description: "Group \(group.sourceID): \(error)")
        }
        func pool(_ options: ProbeOptions, _ old: ObservationPool?) -> ObservationPool {
            if let old, old.credentials == credentials, old.options == options { return old }
            return ObservationPool(credentials: credentials, options: options)
        }
        return GroupResources(
            name: group.sourceID,
            dm: dm,
            probes: pool(probeOptions, previous?.probes),
            vipProbes: group.vip == nil ? nil : pool(vipOptions, previous?.vipProbes),
            switching: group.switching,
            taskFilter: group.tasks.map(Set.init),
            hookDirectory: config.daemon.stateDirectory,
            log: groupLog,
            origin: Origin(
                switching: group.switching, workerAddress: group.workerAddress, tasks: group.tasks, dm: config.dm,
                credentials: credentials, probeOptions: probeOptions, hookDirectory: config.daemon.stateDirectory))
    }

    /// dmctl's settings for one group's source.
    static func dmConfiguration(_ config: DMSwitchConfiguration, group: DMSwitchConfiguration.Group) -> DMCtlConfiguration {
        DMCtlConfiguration(
            dmctlPath: config.dm.dmctlPath,
            version: DM.DMVersion(config.dm.version),
            masterAddresses: config.dm.masterAddresses.map(\.description),
            commandTimeout: config.dm.commandTimeout,
            workingDirectory: config.dm.workDirectory,
            tls: config.dm.tls.flatMap { tls in
                tls.ca.map { DMTLSFiles(certificateAuthority: $0, certificate: tls.cert, key: tls.key) }
            },
            workerAddresses: group.workerAddress.map { [group.sourceID: $0.description] } ?? [:])
    }
}

extension DM.DMVersion {
    /// The backend's version from the configured one. "v2" names no release:
    /// it is taken as v2.0.4, the oldest v2 whose dmctl takes `--master-addr`
    /// and `--rpc-timeout` as every later release does.
    init(_ configured: DMSwitchConfig.DMVersion) {
        switch (configured.generation, configured.release) {
        case (_, let release?):
            self.init(major: release.major, minor: release.minor ?? 0, patch: release.patch ?? 0)
        case (.v1, nil):
            self.init(major: 1)
        case (.v2plus, nil):
            self.init(major: 2, minor: 0, patch: 4)
        }
    }
}
