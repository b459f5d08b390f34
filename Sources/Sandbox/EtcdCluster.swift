import Foundation
import Glibc
import Posix
import Synchronization

/// Why a test etcd cluster could not be started or driven.
public struct EtcdClusterError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A real etcd cluster on 127.0.0.1 for tests: every member with free
/// ports and its own data directory under one temporary directory.
///
/// Failures are made the way they happen in production: `kill` (SIGKILL),
/// `pause`/`resume` (SIGSTOP/SIGCONT, a hung member). Losing two members of
/// three loses quorum. `tearDown` (also run on deinit) kills every member
/// and removes the directory.
public final class EtcdCluster: Sendable {
    /// One member: its name (`m1`…), URLs and files.
    public struct Member: Sendable, Equatable {
        public let name: String
        public let clientURL: String
        public let peerURL: String
        public let dataDirectory: String
        public let logFile: String
    }

    /// Client-side TLS of the members: their certificate and key, and the CA
    /// that clients must be signed by (etcd's `--client-cert-auth`).
    public struct ClientTLS: Sendable, Equatable {
        public var certificateFile: String
        public var keyFile: String
        public var authorityFile: String
        /// What etcdctl presents (a client certificate of the same CA).
        public var etcdctlCertificateFile: String
        public var etcdctlKeyFile: String

        public init(certificateFile: String, keyFile: String, authorityFile: String, etcdctlCertificateFile: String, etcdctlKeyFile: String) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.authorityFile = authorityFile
            self.etcdctlCertificateFile = etcdctlCertificateFile
            self.etcdctlKeyFile = etcdctlKeyFile
        }
    }

    /// Debian's etcd-server and etcd-client install these (`make deps`).
    public static let serverBinary = "/usr/bin/etcd"
    public static let clientBinary = "/usr/bin/etcdctl"

    public let directory: String
    public let members: [Member]
    private let extraArguments: [String]
    private let clientTLS: ClientTLS?
    private let processes = Mutex<[String: ChildProcess]>([:])
    private let tornDown = Mutex(false)

    /// Starts `count` members and waits until every one reports healthy.
    /// With `clientTLS` the client URLs are https and require client certificates.
    public static func start(
        members count: Int = 3,
        extraArguments: [String] = [],
        clientTLS: ClientTLS? = nil,
        timeout: Duration = .seconds(30)
    ) throws(EtcdClusterError) -> EtcdCluster {
        for binary in [serverBinary, clientBinary] where !FileManager.default.isExecutableFile(atPath: binary) {
            throw EtcdClusterError("The etcd binary \(binary) is missing; install Debian's etcd-server and etcd-client packages (make deps).")
        }
        guard count >= 1 else { throw EtcdClusterError("An etcd cluster needs at least one member, not \(count).") }
        let directory = try makeTemporaryDirectory()
        let ports = try freePorts(count * 2)
        let members = (0..<count).map { index in
            let name = "m\(index + 1)"
            return Member(
                name: name,
                clientURL: "\(clientTLS == nil ? "http" : "https")://127.0.0.1:\(ports[index * 2])",
                peerURL: "http://127.0.0.1:\(ports[index * 2 + 1])",
                dataDirectory: "\(directory)/\(name).data",
                logFile: "\(directory)/\(name).log"
            )
        }
        let cluster = EtcdCluster(directory: directory, members: members, extraArguments: extraArguments, clientTLS: clientTLS)
        do {
            for member in members { try cluster.launch(member, initialState: "new") }
            try cluster.waitUntilHealthy(timeout: timeout)
        } catch {
            cluster.tearDown()
            throw error
        }
        return cluster
    }

    private init(directory: String, members: [Member], extraArguments: [String], clientTLS: ClientTLS?) {
        self.directory = directory
        self.members = members
        self.extraArguments = extraArguments
        self.clientTLS = clientTLS
    }

    deinit { tearDown() }

    public var clientURLs: [String] { members.map(\.clientURL) }

    public func member(_ name: String) throws(EtcdClusterError) -> Member {
        guard let member = members.first(where: { $0.name == name }) else {
            throw EtcdClusterError("The etcd cluster has no member \"\(name)\"; it has \(members.map(\.name).joined(separator: ", ")).")
        }
        return member
    }

    /// SIGKILL: the member is gone at once, as after a crash. Waits until it has exited.
    public func kill(_ name: String) throws(EtcdClusterError) {
        let process = try running(name)
        process.signal(SIGKILL, group: true)
        _ = process.wait(timeout: .seconds(10))
        _ = processes.withLock { $0.removeValue(forKey: name) }
    }

    /// SIGSTOP: the member keeps its sockets open but answers nothing.
    public func pause(_ name: String) throws(EtcdClusterError) {
        try running(name).signal(SIGSTOP, group: true)
    }

    public func resume(_ name: String) throws(EtcdClusterError) {
        try running(name).signal(SIGCONT, group: true)
    }

    /// Starts a killed member again on its old data directory and ports.
    public func restart(_ name: String) throws(EtcdClusterError) {
        let member = try member(name)
        guard processes.withLock({ $0[name] }) == nil else {
            throw EtcdClusterError("The etcd member \(name) is still running; kill it before restarting it.")
        }
        try launch(member, initialState: "existing")
    }

    /// Polls `etcdctl endpoint health` on every running member.
    public func waitUntilHealthy(timeout: Duration = .seconds(30)) throws(EtcdClusterError) {
        let running = processes.withLock { Set($0.keys) }
        let endpoints = members.filter { running.contains($0.name) }.map(\.clientURL)
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            if let outcome = try? etcdctl(["endpoint", "health", "--command-timeout=2s", "--dial-timeout=1s"], endpoints: endpoints),
               outcome.status.isSuccess {
                return
            } else if let outcome = try? etcdctl(["endpoint", "health"], endpoints: endpoints) {
                last = outcome.stderr.isEmpty ? outcome.stdout : outcome.stderr
            }
            for (name, process) in processes.withLock({ $0 }) where !process.isRunning {
                throw EtcdClusterError("The etcd member \(name) exited during startup: \(logTail(name)).")
            }
            usleep(200_000)
        }
        throw EtcdClusterError("The etcd cluster in \(directory) did not become healthy within \(timeout): \(last.trimmingCharacters(in: .whitespacesAndNewlines))")
    }

    /// The member that is the raft leader now, as reported by `etcdctl endpoint status`.
    public func leader() throws(EtcdClusterError) -> Member {
        let outcome = try etcdctl(["endpoint", "status", "--write-out=json"])
        guard outcome.status.isSuccess,
              let statuses = try? JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]] else {
            throw EtcdClusterError("Could not read the etcd cluster's status: \(outcome.stderr)")
        }
        for entry in statuses {
            guard let endpoint = entry["Endpoint"] as? String, let status = entry["Status"] as? [String: Any],
                  let header = status["header"] as? [String: Any],
                  let memberID = header["member_id"].map({ "\($0)" }), let leaderID = status["leader"].map({ "\($0)" }),
                  memberID == leaderID, let member = members.first(where: { $0.clientURL == endpoint }) else { continue }
            return member
        }
        throw EtcdClusterError("The etcd cluster reports no leader: \(outcome.stdout)")
    }

    /// Runs etcdctl against the given endpoints (default: every member).
    public func etcdctl(_ arguments: [String], endpoints: [String]? = nil) throws(EtcdClusterError) -> Subprocess.Outcome {
        let list = (endpoints ?? clientURLs).joined(separator: ",")
        let tls = clientTLS.map { ["--cacert=\($0.authorityFile)", "--cert=\($0.etcdctlCertificateFile)", "--key=\($0.etcdctlKeyFile)"] } ?? []
        let options = Subprocess.Options(
            executable: Self.clientBinary,
            arguments: ["--endpoints=\(list)"] + tls + arguments,
            environment: ["PATH": "/usr/bin:/bin", "ETCDCTL_API": "3"],
            deadline: .seconds(20)
        )
        do {
            return try Subprocess.run(options)
        } catch {
            throw EtcdClusterError("Could not run etcdctl: \(error)")
        }
    }

    /// Kills every member and removes the directory; safe to call twice.
    public func tearDown() {
        let first = tornDown.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        let all = processes.withLock { current -> [ChildProcess] in
            defer { current.removeAll() }
            return Array(current.values)
        }
        for process in all {
            process.signal(SIGKILL, group: true)
            _ = process.wait(timeout: .seconds(10))
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The last lines of a member's log, for error messages.
    public func logTail(_ name: String, lines: Int = 5) -> String {
        guard let member = try? member(name), let text = try? String(contentsOfFile: member.logFile, encoding: .utf8) else {
            return "no log"
        }
        return text.split(separator: "\n").suffix(lines).joined(separator: " | ")
    }

    private func running(_ name: String) throws(EtcdClusterError) -> ChildProcess {
        _ = try member(name)
        guard let process = processes.withLock({ $0[name] }) else {
            throw EtcdClusterError("The etcd member \(name) is not running.")
        }
        return process
    }

    private func launch(_ member: Member, initialState: String) throws(EtcdClusterError) {
        let cluster = members.map { "\($0.name)=\($0.peerURL)" }.joined(separator: ",")
        let arguments = [
            "--name", member.name,
            "--data-dir", member.dataDirectory,
            "--listen-client-urls", member.clientURL,
            "--advertise-client-urls", member.clientURL,
            "--listen-peer-urls", member.peerURL,
            "--initial-advertise-peer-urls", member.peerURL,
            "--initial-cluster", cluster,
            "--initial-cluster-state", initialState,
            "--initial-cluster-token", "dmswitch-test",
        ] + extraArguments + (clientTLS.map {
            ["--cert-file", $0.certificateFile, "--key-file", $0.keyFile, "--trusted-ca-file", $0.authorityFile, "--client-cert-auth"]
        } ?? [])
        let options = Subprocess.Options(executable: Self.serverBinary, arguments: arguments,
                                         environment: ["PATH": "/usr/bin:/bin"], workingDirectory: directory)
        do {
            let process = try Subprocess.spawn(options, stdout: .file(path: member.logFile, append: true),
                                               stderr: .file(path: member.logFile, append: true))
            processes.withLock { $0[member.name] = process }
        } catch {
            throw EtcdClusterError("Could not start etcd member \(member.name): \(error)")
        }
    }

    private static func makeTemporaryDirectory() throws(EtcdClusterError) -> String {
        var template = Array("\(NSTemporaryDirectory())/dmswitch-etcd-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw EtcdClusterError("Could not create a temporary directory for etcd: \(Errno.current("mkdtemp").message).")
        }
        return String(cString: made)
    }

    /// Ports the kernel hands out for port 0, all held open at once so that
    /// none is given twice, then released for etcd to bind.
    private static func freePorts(_ count: Int) throws(EtcdClusterError) -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw EtcdClusterError("Could not find a free port: \(Errno.current("socket").description)") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                    bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
                }
            }
            guard bound else { throw EtcdClusterError("Could not find a free port: \(Errno.current("bind").description)") }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
