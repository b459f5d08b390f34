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
    /// The configuration in effect. A reload replaces it, except the daemon settings that
    /// only a restart changes (`ReloadPlan.restartOnly`), which keep their values from the start.
    private let running: Mutex<DMSwitchConfiguration>
    let names: SharedInstanceNames
    let logging: DaemonLogging
    let loop: DecisionLoop
    let performer: ActionPerformer
    let journal: RunJournal
    /// Set when `[coordination]` names etcd: who acts for each group, shared holds and journals.
    let coordination: CoordinationAgent?
    let readiness: ServiceReadiness
    private let server: Mutex<ControlServer?> = Mutex(nil)
    private let stopped = DispatchSemaphore(value: 0)
    private let stopping = Mutex(false)
    /// One reload at a time: SIGHUP and `dmswitchctl reload` may arrive together.
    private let reloading = DispatchSemaphore(value: 1)
    let signalQueue = DispatchQueue(label: "dmswitchd.signals")

    var log: EventLog { logging.log }
    var configuration: DMSwitchConfiguration { running.withLock { $0 } }

    /// Loads everything and starts the decision loop; nothing is acted on
    /// before the startup grace of the core allows it.
    init(configurationPath: String, foreground: Bool) throws(DaemonStartError) {
        let configuration: DMSwitchConfiguration
        do {
            configuration = try ConfigLoader.load(path: configurationPath, referencedFiles: .require)
        } catch {
            throw DaemonStartError("The configuration \(configurationPath) has problems:\n\(error)")
        }
        running = Mutex(configuration)
        names = SharedInstanceNames(InstanceNames(configuration))
        self.configurationPath = configurationPath
        logging = try DaemonLogging(configuration.daemon, foreground: foreground)
        let log = logging.log
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

        let loop = DecisionLoop()
        self.loop = loop
        let groups = try ReloadPlan.groups(of: configuration, log: log, previous: { _ in nil })
        let shells = groups.settings.compactMap { settings in
            groups.resources[settings.name].map { GroupShell(resources: $0, settings: settings, post: { loop.post($0) }) }
        }
        var core: SupervisorCore
        if let coordinator = try CoordinationSetup.coordinator(configuration) {
            let shared = SharedJournal(coordinator: coordinator, local: journal, log: log)
            performer = ActionPerformer(shells: shells, journal: shared, log: log, post: { loop.post($0) })
            core = SupervisorCore(
                groups: groups.settings, replayed: Self.localView(loaded.replayed, log: log),
                runIDPrefix: "\(Self.runIDPrefix())-\(configuration.daemon.nodeName)", at: .now)
            core.awaitAuthority("etcd has not been asked yet")
            let names = names
            coordination = CoordinationAgent(
                coordinator: coordinator, groups: { names.snapshot.groups }, journal: shared, log: log, post: { loop.post($0) })
        } else {
            performer = ActionPerformer(shells: shells, journal: LocalJournal(journal: journal), log: log, post: { loop.post($0) })
            core = SupervisorCore(groups: groups.settings, replayed: loaded.replayed, runIDPrefix: Self.runIDPrefix(), at: .now)
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
        let configuration = configuration
        let bridge = ControlBridge(
            loop: loop, performer: performer, names: names,
            history: { [journal, names, coordination] group, limit in
                if let coordination {
                    return SharedHistory.runs(coordination.coordinator, groups: names.snapshot, group: group, limit: limit)
                }
                do {
                    return .success(HistoryReader.runs(
                        from: try journal.history(), group: group, limit: limit, names: names.snapshot))
                } catch {
                    return .failure(ControlError(.internal, "Could not read the journal: \(error)"))
                }
            },
            reload: { [self] in reload() },
            nodeName: configuration.daemon.nodeName,
            replyTimeout: ControlBridge.replyTimeout(commandTimeout: configuration.dm.commandTimeout))
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
        // Stopping waits for the step in flight and a reload for the decision thread: each on a
        // thread of its own, so the signal queue stays free for the watchdog's pings meanwhile
        // (a stop that waits for a slow VIP hook must not look like a hung daemon).
        let handlers = SignalHandlers.install([
            SIGTERM: { @Sendable [self] in Thread { self.stop(reason: "SIGTERM") }.start() },
            SIGINT: { @Sendable [self] in Thread { self.stop(reason: "SIGINT") }.start() },
            SIGHUP: { @Sendable [self] in Thread { _ = self.reload() }.start() },
        ], queue: signalQueue)
        let readiness = readiness
        let loop = loop
        let interval = configuration.detection.interval + configuration.detection.timeout
        readiness.announceReady(loop: loop, within: interval * 2 + .seconds(1), unless: { [self] in stopping.withLock { $0 } })
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

    /// SIGHUP and `dmswitchctl reload`: all or nothing.
    ///
    /// An invalid file, an unreadable task or password file, or anything else that keeps a
    /// part from being prepared leaves the running configuration in place and says why.
    /// Otherwise the groups change on the decision thread in one step (a group in the middle
    /// of a run keeps its settings until the run ends), then the log settings; daemon
    /// settings that need a restart are named and keep their running values.
    func reload() -> ControlReply {
        reloading.wait()
        defer { reloading.signal() }
        let path = configurationPath
        readiness.send { try readiness.notifier.reloading(status: "reloading \(path)") }
        defer { readiness.send { try readiness.notifier.ready(status: readiness.summary(loop)) } }
        let validation = ConfigLoader.validate(path: path, referencedFiles: .require)
        guard let candidate = validation.configuration, validation.errors.isEmpty else {
            let problems = validation.errors.map(\.description).joined(separator: "; ")
            log.log(.err, "The reloaded configuration has problems; keeping the running one", context: [("problems", LogValue(problems))])
            return .failure(ControlError(.refused, "The configuration \(path) has problems; the running configuration stays: \(problems)"))
        }
        let plan: ReloadPlan
        do {
            plan = try ReloadPlan(candidate, running: configuration, logging: logging, previous: { performer.shell($0)?.resources })
        } catch {
            log.log(.err, "The reloaded configuration cannot be applied; keeping the running one", context: [("reason", LogValue(error.description))])
            return .failure(ControlError(.refused, "The configuration \(path) cannot be applied; the running configuration stays: \(error.description)"))
        }
        let outcome = Mutex<Result<String, ReloadRefusal>?>(nil)
        let applied = DispatchSemaphore(value: 0)
        loop.post(.reconfigure(plan.reconfiguration) { [self] result in
            // On the decision thread, right after the groups changed: the rest follows at once.
            if case .success = result { commit(plan) }
            outcome.withLock { $0 = result }
            applied.signal()
        })
        guard applied.wait(timeout: .now() + .seconds(20)) == .success, let result = outcome.withLock({ $0 }) else {
            return .failure(ControlError(.busy, "The reload of \(path) is queued but the decision thread did not apply it within 20 s; check the log."))
        }
        switch result {
        case .failure(let refusal):
            log.log(.warning, refusal.description)
            return .failure(ControlError(.refused, refusal.description))
        case .success(let summary):
            var message = summary
            if !plan.restartOnly.isEmpty {
                let keys = plan.restartOnly.joined(separator: ", ")
                log.log(.warning, "Some changed daemon settings need a restart; they keep their running values", context: [("keys", LogValue(keys))])
                message += " Changed settings that need a restart (systemctl restart dmswitchd) keep their running values: \(keys)."
            }
            log.log(.notice, "Reloaded the configuration", context: [("file", LogValue(path)), ("summary", LogValue(summary))])
            return .success(.done(Acknowledgement(message: message)))
        }
    }

    /// The daemon-side part of a reload the decision thread has applied.
    private func commit(_ plan: ReloadPlan) {
        logging.apply(plan.logging)
        names.replace(with: InstanceNames(plan.effective))
        running.withLock { $0 = plan.effective }
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

    static func makeDirectory(_ path: String) throws(DaemonStartError) {
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
