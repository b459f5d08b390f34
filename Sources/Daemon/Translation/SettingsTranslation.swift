import DM
import DMSwitchConfig
import Failover

/// A configuration problem found while resolving files the configuration
/// names (task files, the source file), as one sentence.
struct SettingsError: Error, CustomStringConvertible {
    let description: String
}

extension Failover.GroupSettings {
    /// The core's settings for one configured group.
    ///
    /// For the address scenarios the saved task files are read here, so that a
    /// task file that cannot be read stops the daemon at start (or keeps the old
    /// configuration on reload) instead of failing in the middle of a run.
    init(_ group: DMSwitchConfiguration.Group, config: DMSwitchConfiguration) throws(SettingsError) {
        var tasks: [TaskSpec] = []
        var relayEnabled = false
        let repoint: RepointMethod
        switch group.switching {
        case .vip(let vip):
            repoint = .vip(Failover.InstanceAddress(vip.address))
        case .address(let change):
            repoint = .address
            for file in change.taskFiles {
                do {
                    tasks.append(TaskSpec(name: try DMTaskFile.read(path: file).name, file: file))
                } catch {
                    throw SettingsError(description: "Group \(group.sourceID): \(error)")
                }
            }
            if case .sourceFile(let path) = change.repoint {
                do {
                    let source = try DMSourceFile.read(path: path)
                    guard source.sourceID == group.sourceID else {
                        throw SettingsError(description: "Group \(group.sourceID): the saved source file \(path) is for source-id \(source.sourceID).")
                    }
                    guard source.enableGTID else {
                        throw SettingsError(description: "Group \(group.sourceID): the saved source file \(path) does not set enable-gtid: true; DM can only switch upstreams in GTID mode.")
                    }
                    relayEnabled = source.enableRelay
                } catch let error as SettingsError {
                    throw error
                } catch {
                    throw SettingsError(description: "Group \(group.sourceID): \(error)")
                }
            }
        }
        self.init(
            name: group.sourceID,
            instances: group.instances.map {
                InstanceSpec(address: Failover.InstanceAddress($0.address), priority: $0.priority, noFailover: $0.noFailover)
            },
            tasks: tasks,
            dm: config.dm.version.generation == .v1 ? .v1 : .v2,
            relayEnabled: relayEnabled,
            repoint: repoint,
            detection: DetectionSettings(
                probeInterval: config.detection.interval, probeTimeout: config.detection.timeout,
                failuresBeforeDown: config.detection.failures, confirmWithReplicas: config.detection.confirmWithReplicas,
                startupProbes: config.detection.startupProbes),
            automatic: config.failover.automatic,
            catchUpTimeout: config.failover.catchUpTimeout,
            cooldown: config.failover.cooldown,
            // step-retries counts the retries after the first attempt.
            retry: RetryPolicy(maxAttempts: config.failover.stepRetries + 1, firstBackoff: config.failover.stepBackoff),
            stepTimeout: config.failover.stepTimeout)
    }
}
