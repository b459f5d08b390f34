import Foundation
import Glibc
import Posix
import Sandbox
import Upstream

/// Many groups on three real servers, for measuring dmswitchd's footprint.
///
/// 150 MariaDB servers do not fit on a 2-core machine, so every group gets its own
/// addresses instead: one HAProxy process listens on 4 ports per group — its 3
/// "instances" and its VIP — forwarding to db1, db2, db3 (the VIP to db1). dmswitchd
/// probes each address for real (a kept connection per instance, a fresh one through
/// the VIP each interval, as it does for any VIP group), and queries dmsim for each
/// group's DM source every DM status interval. The groups have no tasks.
final class FanOutDeployment: Sendable {
    let sandbox: Sandbox
    let directory: String
    let dmsim: String
    let dmswitchd: String
    /// Per group: the addresses of db1…db3 and of the VIP.
    let groups: [(instances: [UInt16], vip: UInt16)]
    private let proxy: ChildProcess

    static func start(groups count: Int, teardown: Teardown) async throws -> FanOutDeployment {
        let dmsim = try ProductLocator.path(of: "dmsim")
        let dmswitchd = try ProductLocator.path(of: "dmswitchd")
        // 2 connections per group and instance at most (a kept probe, a VIP probe), plus replication.
        let sandbox = try await Sandbox.start(SandboxOptions(instances: 3, maxConnections: 4 * count + 50))
        teardown.add { sandbox.shutdown() }
        let directory = sandbox.directory + "/fanout"
        try FileManager.default.createDirectory(atPath: directory + "/dm", withIntermediateDirectories: true)
        var groups: [(instances: [UInt16], vip: UInt16)] = []
        for _ in 1...count {
            groups.append((instances: try (1...3).map { _ in try FreePort.allocate() }, vip: try FreePort.allocate()))
        }
        let servers = sandbox.instances.map(\.port)
        let config = directory + "/haproxy.cfg"
        try proxyConfiguration(groups: groups, servers: servers).write(toFile: config, atomically: true, encoding: .utf8)
        guard let haproxy = try ServerBinaries.locate(requireHAProxy: true).haproxy else {
            throw FailoverBench.Failure(description: "HAProxy is not installed (make deps installs it).")
        }
        let proxy = try Subprocess.spawn(.init(executable: haproxy, arguments: ["-f", config, "-db"]),
                                         stdout: .file(path: directory + "/haproxy.log", append: true),
                                         stderr: .file(path: directory + "/haproxy.log", append: true))
        teardown.add {
            _ = proxy.signal(SIGKILL, group: true)
            _ = proxy.wait()
        }
        try waitUntilListening(groups.flatMap { $0.instances + [$0.vip] }, proxy: proxy)
        let deployment = FanOutDeployment(sandbox: sandbox, directory: directory, dmsim: dmsim, dmswitchd: dmswitchd,
                                          groups: groups, proxy: proxy)
        try deployment.setUpDM()
        return deployment
    }

    private init(sandbox: Sandbox, directory: String, dmsim: String, dmswitchd: String,
                 groups: [(instances: [UInt16], vip: UInt16)], proxy: ChildProcess) {
        self.sandbox = sandbox
        self.directory = directory
        self.dmsim = dmsim
        self.dmswitchd = dmswitchd
        self.groups = groups
        self.proxy = proxy
    }

    /// Waits (up to 15 s) until HAProxy accepts connections on every port.
    private static func waitUntilListening(_ ports: [UInt16], proxy: ChildProcess) throws {
        let deadline = ContinuousClock.now + .seconds(15)
        var waiting = ports
        while let port = waiting.last {
            if accepts(port) {
                waiting.removeLast()
                continue
            }
            guard proxy.isRunning, ContinuousClock.now < deadline else {
                throw FailoverBench.Failure(description: "HAProxy did not listen on 127.0.0.1:\(port) within 15 s.")
            }
            usleep(20_000)
        }
    }

    /// A TCP connection to 127.0.0.1:`port` is accepted.
    private static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func sourceID(_ group: Int) -> String { "bench-g\(group < 10 ? "0" : "")\(group)" }

    /// A `listen` section per address; no health checks, no retries (like the lab's VIP).
    static func proxyConfiguration(groups: [(instances: [UInt16], vip: UInt16)], servers: [UInt16]) -> String {
        var lines = ["global", "    maxconn 4096", "", "defaults", "    mode tcp", "    retries 0",
                     "    timeout connect 2s", "    timeout client 1h", "    timeout server 1h", ""]
        for (index, group) in groups.enumerated() {
            for (number, port) in group.instances.enumerated() {
                lines += ["listen g\(index + 1)-db\(number + 1)", "    bind 127.0.0.1:\(port)", "    server db\(number + 1) 127.0.0.1:\(servers[number])", ""]
            }
            lines += ["listen g\(index + 1)-vip", "    bind 127.0.0.1:\(group.vip)", "    server db1 127.0.0.1:\(servers[0])", ""]
        }
        return lines.joined(separator: "\n")
    }

    var environment: [String: String] {
        var environment = Subprocess.currentEnvironment()
        environment["DMSIM_STATE"] = directory + "/dm/state"
        return environment
    }

    /// dmsim as DM with one source per group, read through the group's VIP.
    private func setUpDM() throws {
        let admin = try sandbox.credentials(.admin)
        try run(dmsim, ["sim-init", "--state", directory + "/dm/state", "--version", "v6.5.0", "--master-addr", "127.0.0.1:8261",
                        "--timeout", "1", "--workers", String(groups.count)])
        for (index, group) in groups.enumerated() {
            let file = directory + "/dm/source-\(index + 1).yaml"
            try """
                source-id: "\(Self.sourceID(index + 1))"
                enable-gtid: true
                flavor: mariadb
                from:
                  host: "127.0.0.1"
                  port: \(group.vip)
                  user: "\(admin.user)"
                  password: "\(admin.password)"
                """.write(toFile: file, atomically: true, encoding: .utf8)
            try run(dmsim, ["--master-addr", "127.0.0.1:8261", "operate-source", "create", file])
        }
    }

    /// dmswitch.toml watching the first `count` groups at the default profile.
    func configuration(groups count: Int, stateDirectory: String) throws -> String {
        let monitor = sandbox.users.monitor
        let group = getgrgid(getegid()).map { String(cString: $0.pointee.gr_name) } ?? "root"
        var text = """
            [daemon]
            state-dir = "\(stateDirectory)"
            control-socket = "\(stateDirectory)/control.sock"
            control-group = "\(group)"
            syslog-socket = "\(stateDirectory)/log.sock"

            [dm]
            dmctl-path = "\(dmsim)"
            master-addr = ["127.0.0.1:8261"]
            version = "v6.5.0"
            command-timeout = "20s"
            work-dir = "\(directory)/dm"

            [mysql]
            user = "\(monitor.user)"
            password-file = "\(monitor.passwordFile)"

            """
        for (index, ports) in groups.prefix(count).enumerated() {
            text += """

                [[group]]
                source-id = "\(Self.sourceID(index + 1))"
                scenario = "vip"
                vip = "127.0.0.1:\(ports.vip)"
                vip-move-command = ["/bin/true"]

                """
            for (number, port) in ports.instances.enumerated() {
                text += """

                    [[group.instance]]
                    name = "g\(index + 1)-db\(number + 1)"
                    address = "127.0.0.1:\(port)"

                    """
            }
        }
        return text
    }

    private func run(_ executable: String, _ arguments: [String]) throws {
        let outcome = try Subprocess.run(.init(executable: executable, arguments: arguments, environment: environment,
                                               workingDirectory: directory + "/dm", deadline: .seconds(60)))
        guard outcome.status.isSuccess, !outcome.stdout.contains("\"result\": false") else {
            throw FailoverBench.Failure(description: "\(arguments.prefix(4).joined(separator: " ")) failed: \(outcome.stdout.prefix(300))\(outcome.stderr.prefix(300))")
        }
    }
}
