import Foundation
import Posix
import Upstream

/// Starts the HAProxy process that plays the VIP.
enum HAProxyProcess {
    static let childName = "haproxy"

    /// Starts HAProxy pointing at the sandbox's primary and records it in the manifest. Blocking.
    static func start(for sandbox: Sandbox, haproxy: String) throws(SandboxError) {
        let manifest = sandbox.manifest
        let directory = manifest.directory + "/haproxy"
        try SandboxDirectory.create(directory)
        let port: UInt16
        do { port = try FreePort.allocate() } catch { throw SandboxError("choose a port for the VIP", error) }
        let socket = directory + "/admin.sock"
        let configFile = directory + "/haproxy.cfg"
        let log = directory + "/haproxy.log"
        let servers = manifest.instances.map { (name: $0.name, port: $0.port) }
        let primaryName = manifest.instances.first { $0.number == manifest.primary }?.name ?? "db1"
        let config = HAProxyVIP.config(adminSocket: socket, host: "127.0.0.1", port: port, servers: servers, target: primaryName)
        do {
            try AtomicFile.write(path: configFile, text: config, mode: 0o644)
        } catch {
            throw SandboxError("write \(configFile)", error)
        }
        let child: ChildProcess
        do {
            // -db: stay in the foreground, so the sandbox owns the process and its pid.
            child = try Subprocess.spawn(Subprocess.Options(executable: haproxy, arguments: ["-f", configFile, "-db"]),
                                         stdout: .file(path: log, append: true), stderr: .file(path: log, append: true))
        } catch {
            throw SandboxError("start the HAProxy VIP", error)
        }
        sandbox.setChild(childName, child)
        try HAProxyVIP.waitUntilReady(socket: socket, child: child, log: log)
        let record = VIPRecord(
            host: "127.0.0.1", port: port, adminSocket: socket, backend: HAProxyVIP.backend,
            servers: Dictionary(uniqueKeysWithValues: manifest.instances.map { ($0.name, $0.number) }),
            pid: child.pid, configFile: configFile, log: log)
        sandbox.update { $0.vip = record }
    }
}
