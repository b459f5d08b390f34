import Foundation
import Posix
import Synchronization
import Upstream

/// A whole local DM deployment for dmswitchd: a MariaDB group with a VIP and a
/// downstream (`Sandbox`), dmsim playing DM with one task replicating for real,
/// the operator's files, and dmswitchd itself as a process.
///
/// Used by the daemon's integration and end-to-end tests, `make demo` and
/// `make bench`, so all of them exercise the same deployment.
public final class DeploymentLab: Sendable {
    public let options: LabOptions
    public let sandbox: Sandbox
    public let directory: String
    /// dmswitchd's configuration, control socket and decision log.
    public let configPath: String
    public let controlSocket: String
    public let daemonLog: String
    public let stateDirectory: String
    let dmsimState: String
    let binaries: Binaries
    private let daemon = Mutex<ChildProcess?>(nil)
    /// Further dmswitchd processes by name (`startDaemon(name:coordination:)`), each with
    /// its own configuration, state directory, control socket and log.
    let namedDaemons = Mutex<[String: ChildProcess]>([:])

    struct Binaries: Sendable {
        let dmswitchd: String
        let dmswitchctl: String
        let dmsim: String
    }

    /// Builds the deployment and starts DM's task; dmswitchd is not started.
    public static func start(_ options: LabOptions = LabOptions()) async throws(SandboxError) -> DeploymentLab {
        let binaries: Binaries
        do {
            binaries = Binaries(
                dmswitchd: try ProductLocator.path(of: "dmswitchd"), dmswitchctl: try ProductLocator.path(of: "dmswitchctl"),
                dmsim: try ProductLocator.path(of: "dmsim"))
        } catch {
            throw SandboxError("find the built executables", error.description)
        }
        let sandbox = try await Sandbox.start(SandboxOptions(
            instances: options.instances, directory: options.directory, vip: options.scenario == .vip, downstream: true))
        do {
            let lab = try DeploymentLab(options: options, sandbox: sandbox, binaries: binaries)
            try lab.setUpDM()
            return lab
        } catch {
            sandbox.shutdown()
            throw error
        }
    }

    private init(options: LabOptions, sandbox: Sandbox, binaries: Binaries) throws(SandboxError) {
        self.options = options
        self.sandbox = sandbox
        self.binaries = binaries
        directory = sandbox.directory + "/lab"
        configPath = directory + "/dmswitch.toml"
        controlSocket = directory + "/run/control.sock"
        daemonLog = directory + "/dmswitchd.log"
        stateDirectory = directory + "/state"
        dmsimState = directory + "/dm/state"
        for path in [directory, directory + "/run", directory + "/dm"] {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw SandboxError("create \(path)", error.localizedDescription)
            }
        }
    }

    // MARK: - DM

    /// Where DM's source points at first: the VIP, or the primary itself.
    var initialSourceAddress: InstanceAddress {
        if let vip = sandbox.vip { return InstanceAddress(host: vip.host, port: vip.port) }
        return sandbox.primary.address
    }

    var sourceFile: String { directory + "/dm/source.yaml" }
    var taskFile: String { directory + "/dm/task.yaml" }
    var inventoryFile: String { directory + "/dm/inventory.ini" }

    private func setUpDM() throws(SandboxError) {
        guard let downstream = sandbox.downstream else { throw SandboxError("set up DM", "the sandbox has no downstream") }
        let credentials = try sandbox.credentials(.admin)
        let admin = credentials.user
        let adminPassword = credentials.password
        let source = initialSourceAddress
        try LabFiles.write(
            LabFiles.source(host: source.host, port: source.port, user: admin, password: adminPassword, relay: options.relay),
            to: sourceFile)
        try LabFiles.write(LabFiles.task(downstreamPort: downstream.port, user: admin, password: adminPassword), to: taskFile)
        try dmsimSetup(["sim-init", "--state", dmsimState, "--version", options.dmVersion,
                        "--master-addr", LabOptions.masterAddress, "--timeout", String(options.dmsimTimeoutSeconds)])
        if options.isV1 {
            try LabFiles.write(
                LabFiles.inventory(host: source.host, port: source.port, user: admin, password: adminPassword), to: inventoryFile)
            try run(binaries.dmsim, rollingUpdateArguments, "register the v1 DM-worker")
        } else {
            try dmctl(["operate-source", "create", sourceFile], expecting: "create the DM source")
        }
        try dmctl(["start-task", taskFile], expecting: "start the DM task")
        if let vip = sandbox.vip {
            try LabFiles.write(
                LabFiles.vipHook(example: Self.repositoryFile("etc/hooks/move-vip-haproxy.sh"), adminSocket: vip.adminSocket, backend: vip.backend),
                to: directory + "/move-vip.sh", executable: true)
        }
        try LabFiles.write(LabConfiguration.text(for: self, daemon: defaultDaemonFiles), to: configPath)
    }

    /// The v1 "rolling update": dmsim re-reads the worker's line of the
    /// DM-Ansible inventory, as rolling_update.yml restarts the worker with it.
    var rollingUpdateArguments: [String] {
        ["sim-add-worker", "--inventory", inventoryFile, "--alias", LabOptions.workerAlias, "--worker", LabOptions.workerAddress]
    }

    /// A file of this repository (the example hooks), found from this source file.
    static func repositoryFile(_ relative: String) -> String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(relative).path
    }

    // MARK: - Running the tools

    /// `dmsim ARGS` as dmctl (with the master address), in the lab's DM directory.
    @discardableResult
    public func dmctl(_ arguments: [String]) throws(SandboxError) -> Subprocess.Outcome {
        let master = options.isV1 ? ["-master-addr", LabOptions.masterAddress] : ["--master-addr", LabOptions.masterAddress]
        return try runTool(binaries.dmsim, master + arguments, "run dmsim \(arguments.first ?? "")")
    }

    /// `dmsim ARGS` for dmsim's own commands (sim-violations, sim-events, …).
    @discardableResult
    public func dmsim(_ arguments: [String]) throws(SandboxError) -> Subprocess.Outcome {
        try runTool(binaries.dmsim, arguments, "run dmsim \(arguments.first ?? "")")
    }

    /// `dmswitchctl --socket … ARGS`.
    @discardableResult
    public func dmswitchctl(_ arguments: [String]) throws(SandboxError) -> Subprocess.Outcome {
        try runTool(binaries.dmswitchctl, ["--socket", controlSocket] + arguments, "run dmswitchctl \(arguments.first ?? "")")
    }

    private func dmctl(_ arguments: [String], expecting purpose: String) throws(SandboxError) {
        let outcome = try dmctl(arguments)
        guard outcome.status.isSuccess, outcome.stdout.contains("\"result\": true") else {
            throw SandboxError(purpose, "dmsim said: \(outcome.stdout.prefix(400))\(outcome.stderr.prefix(400))")
        }
    }

    private func dmsimSetup(_ arguments: [String]) throws(SandboxError) {
        let outcome = try dmsim(arguments)
        guard outcome.status.isSuccess else { throw SandboxError("set up dmsim", outcome.stderr) }
    }

    private func run(_ executable: String, _ arguments: [String], _ purpose: String) throws(SandboxError) {
        let outcome = try runTool(executable, arguments, purpose)
        guard outcome.status.isSuccess else { throw SandboxError(purpose, outcome.stderr + outcome.stdout) }
    }

    private func runTool(_ executable: String, _ arguments: [String], _ purpose: String) throws(SandboxError) -> Subprocess.Outcome {
        var environment = Subprocess.currentEnvironment()
        environment["DMSIM_STATE"] = dmsimState
        do {
            return try Subprocess.run(.init(
                executable: executable, arguments: arguments, environment: environment,
                workingDirectory: directory + "/dm", deadline: .seconds(60)))
        } catch {
            throw SandboxError(purpose, error)
        }
    }

    // MARK: - dmswitchd

    /// Starts dmswitchd in the foreground mode (decisions on its stdout, kept
    /// in `daemonLog`) and waits until its control socket answers.
    ///
    /// With `systemd`, the test plays systemd: dmswitchd gets `NOTIFY_SOCKET` (and
    /// `WATCHDOG_USEC`). `Subprocess` keeps those variables from every child on purpose,
    /// so they are handed over by env(1), which execs dmswitchd in its place: the pid
    /// that sends the notifications is dmswitchd's, as `NotifyAccess=main` requires.
    public func startDaemon(extraEnvironment: [String: String] = [:], systemd: SystemdEnvironment? = nil) async throws(SandboxError) {
        var environment = Subprocess.currentEnvironment()
        environment["DMSIM_STATE"] = dmsimState
        environment.merge(extraEnvironment) { _, new in new }
        var command = [binaries.dmswitchd, "--config", configPath, "--foreground"]
        if let systemd { command = ["/usr/bin/env"] + systemd.assignments + command }
        let child: ChildProcess
        do {
            child = try Subprocess.spawn(
                .init(executable: command[0], arguments: Array(command.dropFirst()),
                      environment: environment, workingDirectory: directory),
                stdout: .file(path: daemonLog, append: true), stderr: .file(path: daemonLog, append: true))
        } catch {
            throw SandboxError("start dmswitchd", error)
        }
        daemon.withLock { $0 = child }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard child.isRunning else {
                throw SandboxError("start dmswitchd", "it exited early; its log says: \(decisionLog().suffix(2000))")
            }
            if (try? dmswitchctl(["status"]))?.status.isSuccess == true { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
        throw SandboxError("start dmswitchd", "its control socket did not answer within 30 s")
    }

    /// What systemd would give a `Type=notify` service with `WatchdogSec=`.
    public struct SystemdEnvironment: Sendable {
        public var notifySocket: String
        public var watchdog: Duration?

        public init(notifySocket: String, watchdog: Duration? = nil) {
            self.notifySocket = notifySocket
            self.watchdog = watchdog
        }

        var assignments: [String] {
            var assignments = ["NOTIFY_SOCKET=\(notifySocket)"]
            if let watchdog {
                let (seconds, attoseconds) = watchdog.components
                assignments.append("WATCHDOG_USEC=\(seconds * 1_000_000 + attoseconds / 1_000_000_000_000)")
            }
            return assignments
        }
    }

    /// The running dmswitchd, if any.
    public var daemonProcess: ChildProcess? { daemon.withLock { $0 } }

    /// Sends `signal` to dmswitchd (SIGKILL to crash it, SIGTERM to stop it).
    public func signalDaemon(_ signal: Int32) {
        daemon.withLock { $0 }?.signal(signal, group: false)
    }

    /// Waits for dmswitchd to exit and forgets it.
    public func waitForDaemonExit(timeout: Duration = .seconds(60)) -> ExitStatus? {
        guard let child = daemon.withLock({ $0 }) else { return nil }
        let status = child.wait(timeout: timeout)
        if status != nil { daemon.withLock { $0 = nil } }
        return status
    }

    /// Everything dmswitchd printed so far.
    public func decisionLog() -> String {
        (try? String(contentsOfFile: daemonLog, encoding: .utf8)) ?? ""
    }

    /// The lines of the decision log that carry `code=CODE`.
    public func decisions(code: String) -> [String] {
        Self.lines(decisionLog(), code: code)
    }

    /// Waits until a decision with `code` was logged `count` times.
    @discardableResult
    public func waitForDecision(_ code: String, count: Int = 1, timeout: Duration = .seconds(60)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if decisions(code: code).count >= count { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Stops every dmswitchd, then every server.
    public func shutdown() {
        let named = namedDaemons.withLock { daemons in
            defer { daemons = [:] }
            return Array(daemons.values)
        }
        for child in [daemon.withLock({ $0 })].compactMap({ $0 }) + named {
            child.signal(SIGCONT, group: true)
            child.signal(SIGKILL, group: true)
            _ = child.wait(timeout: .seconds(10))
        }
        sandbox.shutdown()
    }

    deinit {
        shutdown()
    }
}
