import Control
import Coordination
import DMSwitchConfig
import DMSwitchLog
import Dispatch
import Failover
import Foundation
import RunJournal
import Synchronization
import Upstream

/// dmswitchd while it runs: the decision loop, the groups' shells, the
/// control socket, signals and systemd notifications, wired from one
/// configuration.
final class RunningDaemon: Sendable {
    let configurationPath: String
    let configuration: DMSwitchConfiguration
    let log: EventLog
    let loop: DecisionLoop
    let performer: ActionPerformer
    let journal: RunJournal
    /// Set when `[coordination]` names etcd: who acts for each group, shared holds and journals.
    let coordination: CoordinationAgent?
    let readiness: ServiceReadiness
    private let server: Mutex<ControlServer?> = Mutex(nil)
    private let stopped = DispatchSemaphore(value: 0)
    private let stopping = Mutex(false)
    let signalQueue = DispatchQueue(label: "dmswitchd.signals")

    /// Loads everything and starts the decision loop; nothing is acted on
    /// before the startup grace of the core allows it.
    init(configurationPath: String, foreground: Bool) throws(DaemonStartError) {
        let configuration: DMSwitchConfiguration
        do {
            configuration = try ConfigLoader.load(path: configurationPath, referencedFiles: .require)
        } catch {
            throw DaemonStartError("The configuration \(configurationPath) has problems:\n\(error)")
        }
        self.configuration = configuration
        self.configurationPath = configurationPath
        let daemonLog: DaemonLog
        do {
            daemonLog = try DaemonLog(
                syslogSocket: configuration.daemon.syslogSocket, facility: configuration.daemon.syslogFacility.rawValue,
                foreground: foreground)
        } catch {
            throw DaemonStartError("Could not set up logging: \(error)")
        }
        log = daemonLog.log
        readiness = ServiceReadiness(notifier: ServiceNotifier(), log: log)

        try Self.makeDirectory(configuration.daemon.stateDirectory)
        try Self.makeDirectory(configuration.dm.workDirectory)
        let loaded: RunJournal.Loaded
        do {
            (journal, loaded) = try RunJournal.open(directory: configuration.daemon.stateDirectory)
        } catch {
            throw DaemonStartError("Could not open the journal in \(configuration.daemon.stateDirectory): \(error)")
        }
        for note in loaded.notes { log.log(.warning, note, context: [("code", "journal-note")]) }

        let credentials = try Self.credentials(configuration.mysql)
        let loop = DecisionLoop()
        self.loop = loop
        var settings: [GroupSettings] = []
        var shells: [GroupShell] = []
        for group in configuration.groups {
            do {
                let groupSettings = try GroupSettings(group, config: configuration)
                let resources = try GroupResources.make(group, config: configuration, credentials: credentials, log: log)
                settings.append(groupSettings)
                shells.append(GroupShell(resources: resources, settings: groupSettings, post: { loop.post($0) }))
            } catch {
                throw DaemonStartError(error.description)
            }
        }
        var core: SupervisorCore
        if let coordinator = try CoordinationSetup.coordinator(configuration) {
            let shared = SharedJournal(coordinator: coordinator, local: journal, log: log)
            performer = ActionPerformer(shells: shells, journal: shared, log: log)
            core = SupervisorCore(
                groups: settings, replayed: Self.localView(loaded.replayed, log: log),
                runIDPrefix: "\(Self.runIDPrefix())-\(configuration.daemon.nodeName)", at: .now)
            core.awaitAuthority("etcd has not been asked yet")
            coordination = CoordinationAgent(
                coordinator: coordinator, groups: settings.map(\.name), journal: shared, log: log, post: { loop.post($0) })
        } else {
            performer = ActionPerformer(shells: shells, journal: LocalJournal(journal: journal), log: log)
            core = SupervisorCore(groups: settings, replayed: loaded.replayed, runIDPrefix: Self.runIDPrefix(), at: .now)
            coordination = nil
        }
        log.log(.notice, "dmswitchd starts", context: [
            ("node", LogValue(configuration.daemon.nodeName)), ("groups", LogValue(configuration.groups.count)),
            ("dm", LogValue(configuration.dm.version.raw)),
            ("coordination", LogValue(configuration.coordination.etcd.isEmpty ? "none" : "etcd")),
        ])
        loop.start(core: core, performer: performer)
        coordination?.start()
    }

    /// With coordination, runs, cooldowns and holds come from etcd; the local journal only
    /// says which upstream this daemon saw last. An unfinished run in it (from before etcd
    /// was configured) is named, not resumed: another daemon may have acted since.
    private static func localView(_ replayed: ReplayedState, log: EventLog) -> ReplayedState {
        for run in replayed.unfinishedRuns {
            log.log(.warning, "The local journal has an unfinished run; with etcd, runs continue from the shared journal only",
                    context: [("code", "journal-note"), ("run", LogValue(run.header.id.rawValue)), ("group", LogValue(run.header.group))])
        }
        var view = ReplayedState()
        view.upstreams = replayed.upstreams
        return view
    }

    /// Opens the control socket, installs the signal handlers and tells
    /// systemd the daemon is ready.
    func serve() throws(DaemonStartError) {
        let bridge = ControlBridge(
            loop: loop, performer: performer, names: InstanceNames(configuration),
            history: { [journal, configuration, coordination] group, limit in
                if let coordination {
                    return SharedHistory.runs(coordination.coordinator, configuration: configuration, group: group, limit: limit)
                }
                do {
                    return .success(HistoryReader.runs(
                        from: try journal.history(), group: group, limit: limit, names: InstanceNames(configuration)))
                } catch {
                    return .failure(ControlError(.internal, "Could not read the journal: \(error)"))
                }
            },
            reload: { [self] in reload() },
            nodeName: configuration.daemon.nodeName,
            replyTimeout: configuration.dm.commandTimeout * 2)
        let log = log
        do {
            let server = try ControlServer(
                configuration: ControlServerConfiguration(
                    socketPath: configuration.daemon.controlSocket, group: configuration.daemon.controlGroup),
                events: { event in Self.logControlEvent(event, log: log) },
                handler: { request, peer in bridge.handle(request, peer: peer) })
            try server.start()
            self.server.withLock { $0 = server }
        } catch {
            throw DaemonStartError("Could not open the control socket \(configuration.daemon.controlSocket): \(error)")
        }
        let handlers = SignalHandlers.install([
            SIGTERM: { @Sendable [self] in stop(reason: "SIGTERM") },
            SIGINT: { @Sendable [self] in stop(reason: "SIGINT") },
            SIGHUP: { @Sendable [self] in _ = reload() },
        ], queue: signalQueue)
        let readiness = readiness
        let loop = loop
        let interval = configuration.detection.interval + configuration.detection.timeout
        readiness.announceReady(loop: loop, within: interval * 2 + .seconds(1))
        let watchdog = readiness.startWatchdog(loop: loop, queue: signalQueue)
        withExtendedLifetime(handlers) { stopped.wait() }
        watchdog?.cancel()
    }

    /// Stops at a step boundary and lets `serve` return.
    func stop(reason: String) {
        let first = stopping.withLock { stopping -> Bool in
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        log.log(.notice, "dmswitchd stops at the next step boundary", context: [("signal", LogValue(reason))])
        readiness.send { try readiness.notifier.stopping(status: "stopping at a step boundary") }
        loop.requestStop()
        loop.waitUntilFinished()
        coordination?.stop()
        server.withLock { $0?.stop() }
        journal.close()
        log.log(.notice, "dmswitchd stopped")
        stopped.signal()
    }

    /// SIGHUP and `dmswitchctl reload`: an invalid file keeps the running
    /// configuration, and says why.
    func reload() -> ControlReply {
        let path = configurationPath
        readiness.send { try readiness.notifier.reloading(status: "reloading \(path)") }
        defer { readiness.send { try readiness.notifier.ready(status: readiness.summary(loop)) } }
        let validation = ConfigLoader.validate(path: path, referencedFiles: .require)
        guard let candidate = validation.configuration, validation.errors.isEmpty else {
            let problems = validation.errors.map(\.description).joined(separator: "; ")
            log.log(.err, "The reloaded configuration has problems; keeping the running one", context: [("problems", LogValue(problems))])
            return .failure(ControlError(.refused, "The configuration \(path) has problems; the running configuration stays: \(problems)"))
        }
        guard candidate == configuration else {
            log.log(.warning, "The configuration changed; restart dmswitchd to apply it", context: [("file", LogValue(path))])
            return .failure(ControlError(.refused, "The configuration \(path) is valid but differs from the running one; restart dmswitchd (systemctl restart dmswitchd) to apply it."))
        }
        log.log(.info, "Reloaded the configuration; nothing changed", context: [("file", LogValue(path))])
        return .success(.done(Acknowledgement(message: "Reloaded \(path): nothing changed.")))
    }

    private static func logControlEvent(_ event: ControlServerEvent, log: EventLog) {
        switch event {
        case .served(_, let command, _, _) where !command.changesState:
            log.log(.debug, event.description)
        case .served:
            log.log(.info, event.description)
        case .denied, .rejected, .busy:
            log.log(.warning, event.description)
        case .failed, .directoryNotTraversable:
            log.log(.err, event.description)
        }
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

    private static func makeDirectory(_ path: String) throws(DaemonStartError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw DaemonStartError("Could not create the directory \(path): \(error.localizedDescription)")
        }
    }

    /// Run ids are `<prefix>-<n>`; the prefix is this start's UTC second, so
    /// ids stay unique across restarts and sort by time.
    private static func runIDPrefix() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date())
    }
}
