import Foundation
import Glibc
import Posix

/// Where one dmswitchd of a lab keeps its files.
public struct LabDaemonFiles: Sendable {
    /// nil: the lab's first daemon (`startDaemon()`), with the host name as its node name.
    public var nodeName: String?
    public var configPath: String
    public var controlSocket: String
    public var logPath: String
    public var stateDirectory: String
}

/// `[coordination]` for a lab's daemons: the etcd endpoints they share.
public struct LabCoordination: Sendable {
    public var endpoints: [String]
    /// etcd lease TTL, whole seconds (dmswitch.toml's `lease-ttl`).
    public var leaseTTL: String
    public var prefix: String

    public init(endpoints: [String], leaseTTL: String = "3s", prefix: String = "/dmswitch") {
        self.endpoints = endpoints
        self.leaseTTL = leaseTTL
        self.prefix = prefix
    }

    var section: String {
        """
        [coordination]
        etcd = [\(endpoints.map { "\"\($0)\"" }.joined(separator: ", "))]
        lease-ttl = "\(leaseTTL)"
        prefix = "\(prefix)"
        """
    }
}

/// Several dmswitchd against one deployment, as on several DM hosts: each with its own
/// configuration, state directory, control socket and log, all sharing DM and (with
/// coordination) one etcd cluster.
extension DeploymentLab {
    var defaultDaemonFiles: LabDaemonFiles {
        LabDaemonFiles(nodeName: nil, configPath: configPath, controlSocket: controlSocket, logPath: daemonLog, stateDirectory: stateDirectory)
    }

    /// The files of the daemon named `name` (its node name too).
    public func daemonFiles(_ name: String) -> LabDaemonFiles {
        let base = "\(directory)/\(name)"
        return LabDaemonFiles(
            nodeName: name, configPath: "\(base)/dmswitch.toml", controlSocket: "\(base)/run/control.sock",
            logPath: "\(base)/dmswitchd.log", stateDirectory: "\(base)/state")
    }

    /// Writes the daemon's configuration, starts it in the foreground mode (decisions in its
    /// log) and waits until its control socket answers.
    @discardableResult
    public func startDaemon(name: String, coordination: LabCoordination?) async throws(SandboxError) -> LabDaemonFiles {
        let files = daemonFiles(name)
        do {
            try FileManager.default.createDirectory(atPath: "\(directory)/\(name)/run", withIntermediateDirectories: true)
        } catch {
            throw SandboxError("create the directory of dmswitchd \(name)", error.localizedDescription)
        }
        try LabFiles.write(LabConfiguration.text(for: self, daemon: files, coordination: coordination), to: files.configPath)
        var environment = Subprocess.currentEnvironment()
        environment["DMSIM_STATE"] = dmsimState
        let child: ChildProcess
        do {
            child = try Subprocess.spawn(
                .init(executable: binaries.dmswitchd, arguments: ["--config", files.configPath, "--foreground"],
                      environment: environment, workingDirectory: directory),
                stdout: .file(path: files.logPath, append: true), stderr: .file(path: files.logPath, append: true))
        } catch {
            throw SandboxError("start dmswitchd \(name)", error)
        }
        namedDaemons.withLock { $0[name] = child }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard child.isRunning else {
                throw SandboxError("start dmswitchd \(name)", "it exited early; its log says: \(decisionLog(of: name).suffix(2000))")
            }
            if (try? dmswitchctl(["status"], daemon: name))?.status.isSuccess == true { return files }
            try? await Task.sleep(for: .milliseconds(100))
        }
        throw SandboxError("start dmswitchd \(name)", "its control socket did not answer within 30 s")
    }

    /// The running dmswitchd named `name`, if any.
    public func daemonProcess(_ name: String) -> ChildProcess? {
        namedDaemons.withLock { $0[name] }
    }

    /// Sends `signal` to the named dmswitchd only (SIGSTOP freezes it, SIGKILL crashes it).
    public func signalDaemon(_ name: String, _ signal: Int32) {
        daemonProcess(name)?.signal(signal, group: false)
    }

    /// Kills the named dmswitchd and every process it started (its hooks and dmctl calls), as
    /// when its host dies, and waits for it.
    public func killDaemonAndChildren(_ name: String) {
        guard let child = daemonProcess(name) else { return }
        let descendants = Self.descendants(of: child.pid)
        child.signal(SIGKILL, group: false)
        for pid in descendants { Glibc.kill(pid, SIGKILL) }
        _ = child.wait(timeout: .seconds(10))
        _ = namedDaemons.withLock { $0.removeValue(forKey: name) }
    }

    /// `dmswitchctl --socket <the named daemon's socket> ARGS`.
    @discardableResult
    public func dmswitchctl(_ arguments: [String], daemon name: String) throws(SandboxError) -> Subprocess.Outcome {
        do {
            return try Subprocess.run(.init(
                executable: binaries.dmswitchctl, arguments: ["--socket", daemonFiles(name).controlSocket] + arguments,
                workingDirectory: directory, deadline: .seconds(60)))
        } catch {
            throw SandboxError("run dmswitchctl \(arguments.first ?? "") on \(name)", error)
        }
    }

    /// Everything the named dmswitchd printed so far.
    public func decisionLog(of name: String) -> String {
        (try? String(contentsOfFile: daemonFiles(name).logPath, encoding: .utf8)) ?? ""
    }

    /// The lines of the named daemon's log that carry `code=CODE`.
    public func decisions(code: String, daemon name: String) -> [String] {
        Self.lines(decisionLog(of: name), code: code)
    }

    /// Waits until the named daemon logged a decision with `code` `count` times.
    @discardableResult
    public func waitForDecision(_ code: String, daemon name: String, count: Int = 1, timeout: Duration = .seconds(60)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if decisions(code: code, daemon: name).count >= count { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Makes the VIP hook wait `seconds` before moving the VIP, so a test can act while a run
    /// is in the middle of its repoint step.
    public func slowDownVIPMove(seconds: Int) throws(SandboxError) {
        guard let vip = sandbox.vip else { throw SandboxError("slow down the VIP move", "the lab has no VIP") }
        let hook = LabFiles.vipHook(example: Self.repositoryFile("etc/hooks/move-vip-haproxy.sh"), adminSocket: vip.adminSocket, backend: vip.backend)
            .replacingOccurrences(of: "\nHAPROXY_SOCKET=", with: "\nsleep \(seconds)\nHAPROXY_SOCKET=")
        try LabFiles.write(hook, to: directory + "/move-vip.sh", executable: true)
    }

    static func lines(_ log: String, code: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains(" code=\(code) ") || $0.hasSuffix(" code=\(code)") }
    }

    /// Every process below `pid`, read from /proc (children first found, then theirs).
    static func descendants(of pid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var parents: [Int32: [Int32]] = [:]
        for entry in entries {
            guard let child = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[parent, default: []].append(child) }
        }
        var found: [Int32] = []
        var queue = [pid]
        while let next = queue.popLast() {
            let children = parents[next] ?? []
            found += children
            queue += children
        }
        return found
    }
}
