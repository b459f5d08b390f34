import DMSwitchConfig
import DMSwitchLog
import Failover
import Upstream

/// Everything a reload will apply, prepared before anything changes.
///
/// What changes live and what needs a restart:
/// - live: the groups (added, removed, changed: instances, priorities, VIP, hooks, task
///   files), `[dm]`, `[detection]`, `[failover]`, `[mysql]` (new credentials reach the probes
///   through new probe pools), and of `[daemon]` the log settings `syslog-socket`,
///   `syslog-facility` and `log-level`;
/// - restart: `control-socket` and `control-group` (the listening socket is bound, with its
///   mode and group, at start), `state-dir` (the open journal), `node-name` (the daemon's
///   identity in the journal and in coordination) and `[coordination]`. A reload that changes
///   them still applies the rest, says which keys wait for a restart, and keeps their values.
struct ReloadPlan: Sendable {
    let reconfiguration: Reconfiguration
    let logging: DaemonLogging.Prepared
    /// The configuration in effect after the reload: the new one, with the restart-only
    /// settings of the running one.
    let effective: DMSwitchConfiguration
    /// The changed keys that need a restart, as `[section] key` names.
    let restartOnly: [String]

    /// Prepares `candidate` against the `running` configuration. Throws, changing nothing,
    /// when a part cannot be prepared (a task file, the password file, the syslog socket).
    ///
    /// - Parameter previous: a group's running resources, whose probe pools are reused when
    ///   their credentials and timeouts stay the same.
    init(
        _ candidate: DMSwitchConfiguration, running: DMSwitchConfiguration, logging: DaemonLogging,
        previous: (String) -> GroupResources?
    ) throws(DaemonStartError) {
        do {
            self.logging = try logging.prepare(candidate.daemon)
        } catch {
            throw DaemonStartError("Could not set up logging: \(error)")
        }
        try RunningDaemon.makeDirectory(candidate.dm.workDirectory)
        let groups = try Self.groups(of: candidate, log: logging.log, previous: previous)
        var changed = Set<String>()
        for settings in groups.settings {
            if let old = previous(settings.name), let new = groups.resources[settings.name], old.origin != new.origin {
                changed.insert(settings.name)
            }
        }
        reconfiguration = Reconfiguration(settings: groups.settings, resources: groups.resources, alsoChanged: changed)

        var effective = candidate
        var restartOnly: [String] = []
        func keep<Value: Equatable>(_ key: String, _ path: WritableKeyPath<DMSwitchConfiguration, Value>) {
            guard candidate[keyPath: path] != running[keyPath: path] else { return }
            restartOnly.append(key)
            effective[keyPath: path] = running[keyPath: path]
        }
        keep("[daemon] control-socket", \.daemon.controlSocket)
        keep("[daemon] control-group", \.daemon.controlGroup)
        keep("[daemon] state-dir", \.daemon.stateDirectory)
        keep("[daemon] node-name", \.daemon.nodeName)
        keep("[coordination]", \.coordination)
        self.effective = effective
        self.restartOnly = restartOnly
    }

    /// The core's settings and the shell's resources of every group of `configuration`.
    static func groups(
        of configuration: DMSwitchConfiguration, log: EventLog, previous: (String) -> GroupResources?
    ) throws(DaemonStartError) -> (settings: [GroupSettings], resources: [String: GroupResources]) {
        let credentials = try credentials(configuration.mysql)
        var settings: [GroupSettings] = []
        var resources: [String: GroupResources] = [:]
        for group in configuration.groups {
            do {
                settings.append(try GroupSettings(group, config: configuration))
                resources[group.sourceID] = try GroupResources.make(
                    group, config: configuration, credentials: credentials, log: log, reusing: previous(group.sourceID))
            } catch {
                throw DaemonStartError(error.description)
            }
        }
        return (settings, resources)
    }

    private static func credentials(_ mysql: DMSwitchConfiguration.MySQL) throws(DaemonStartError) -> MySQLCredentials {
        let tls: TLSOptions? = mysql.usesTLS
            ? TLSOptions(caFile: mysql.tlsCA, certFile: mysql.tlsCert, keyFile: mysql.tlsKey, verifyServerCertificate: mysql.tlsVerify)
            : nil
        guard let file = mysql.passwordFile else { return MySQLCredentials(user: mysql.user, password: "", tls: tls) }
        do {
            return try MySQLCredentials(user: mysql.user, passwordFile: file, tls: tls)
        } catch {
            throw DaemonStartError("Could not read the MySQL password: \(error)")
        }
    }
}
