import Foundation
import Glibc
import Posix
import Synchronization
import Testing
import Upstream

/// A real MariaDB server on loopback for dmsim's integration tests.
///
/// Servers are started from a data directory initialised once per test run and copied, so
/// a server is up in about a second. A missing server binary fails the test with a clear
/// message; it never skips.
final class LabServer {
    let name: String
    private(set) var port: Int
    let serverID: Int
    let domainID: Int
    let directory: String
    private var child: ChildProcess?

    static let mariadbd = "/usr/sbin/mariadbd"
    private static let template = Mutex<String?>(nil)

    init(name: String, serverID: Int, domainID: Int, root: String) throws {
        self.name = name
        self.serverID = serverID
        self.domainID = domainID
        directory = root + "/" + name
        port = try LabServer.freePort()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let result = try Subprocess.run(.init(executable: "/bin/cp", arguments: ["-a", try LabServer.templateDirectory(), directory + "/data"]))
        guard case .exited(0) = result.status else { throw LabError("copying the data directory failed: \(result.stderr)") }
        try start()
        try admin("CREATE USER IF NOT EXISTS 'root'@'%'; GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION; RESET MASTER")
    }

    /// Starts (or restarts) mariadbd, optionally on another port (the address takeover that
    /// stands in for a moving virtual IP).
    func start(port newPort: Int? = nil) throws {
        if let newPort { port = newPort }
        var arguments = [
            "--no-defaults", "--datadir=\(directory)/data", "--port=\(port)", "--bind-address=127.0.0.1",
            "--socket=\(directory)/sock", "--pid-file=\(directory)/pid", "--server-id=\(serverID)",
            "--gtid-domain-id=\(domainID)", "--log-bin=\(directory)/data/bin", "--log-slave-updates=ON",
            "--binlog-format=ROW", "--skip-name-resolve", "--innodb-buffer-pool-size=16M",
            "--performance-schema=OFF", "--skip-log-error", "--max-connections=60",
        ]
        if getuid() == 0 { arguments.append("--user=root") }
        child = try Subprocess.spawn(.init(executable: LabServer.mariadbd, arguments: arguments),
                                     stderr: .file(path: directory + "/error.log", append: true))
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? connection().query("SELECT 1")) != nil { return }
            if let child, !child.isRunning { throw LabError("mariadbd \(name) exited at start; see \(directory)/error.log") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw LabError("mariadbd \(name) did not answer on port \(port) within 30 s")
    }

    /// kill -9, waiting until the process is gone.
    func kill() {
        guard let child else { return }
        _ = child.signal(SIGKILL)
        _ = child.wait()
        self.child = nil
    }

    deinit { kill() }

    var endpoint: String { "127.0.0.1:\(port)" }

    func connection() throws -> MySQLConnection {
        try MySQLConnection(to: InstanceAddress(host: "127.0.0.1", port: UInt16(port)),
                            credentials: MySQLCredentials(user: "root", password: ""),
                            timeouts: ConnectionTimeouts(connect: .seconds(2), read: .seconds(5), write: .seconds(5)))
    }

    /// Runs statements through the Unix socket as root (works before TCP accounts exist).
    func admin(_ sql: String) throws {
        let link = try MySQLConnection(to: InstanceAddress(host: "localhost", port: UInt16(port)),
                                       credentials: MySQLCredentials(user: "root", password: ""),
                                       unixSocket: directory + "/sock")
        defer { link.close() }
        for statement in sql.split(separator: ";") where !statement.trimmingCharacters(in: .whitespaces).isEmpty {
            try link.execute(String(statement))
        }
    }

    func execute(_ sql: String) throws {
        let link = try connection()
        defer { link.close() }
        try link.execute(sql)
    }

    func value(_ sql: String) throws -> String {
        let link = try connection()
        defer { link.close() }
        return try link.query(sql).first?.values.first.flatMap { $0 } ?? ""
    }

    /// Makes this server a GTID replica of `primary` (same replication group).
    func replicate(from primary: LabServer) throws {
        try execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=\(primary.port), MASTER_USER='root', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1")
        try execute("START SLAVE")
    }

    /// Row count and an order-independent checksum of `app.t`, to compare servers.
    func fingerprint() throws -> String {
        try value("SELECT CONCAT(COUNT(*), '/', COALESCE(SUM(CRC32(CONCAT(id, ':', v))), 0)) FROM app.t")
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LabError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(descriptor, raw, length) == 0 && getsockname(descriptor, raw, &length) == 0
            }
        }
        guard bound else { throw LabError("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func templateDirectory() throws -> String {
        try template.withLock { cached in
            if let cached { return cached }
            guard FileManager.default.isExecutableFile(atPath: mariadbd) else {
                throw LabError("\(mariadbd) is missing: install Debian's mariadb-server (make deps)")
            }
            // One initialised data directory per user, reused by later runs: initialising
            // costs seconds and the copy is all a server needs.
            let path = NSTemporaryDirectory() + "dmsim-template-\(getuid())"
            if FileManager.default.fileExists(atPath: path + "/mysql/user.frm")
                || FileManager.default.fileExists(atPath: path + "/mysql/global_priv.frm") {
                cached = path
                return path
            }
            try? FileManager.default.removeItem(atPath: path)
            let result = try Subprocess.run(.init(executable: "mariadb-install-db", arguments: [
                "--no-defaults", "--datadir=\(path)", "--auth-root-authentication-method=normal", "--skip-test-db",
            ] + (getuid() == 0 ? ["--user=root"] : []), deadline: .seconds(120)))
            guard case .exited(0) = result.status else {
                throw LabError("mariadb-install-db failed: \(result.stderr)")
            }
            cached = path
            return path
        }
    }
}

struct LabError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, at most `seconds` (a bound that proves "not hung").
func waitUntil(_ seconds: Double = 15, _ what: String, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? condition()) == true { return }
        Thread.sleep(forTimeInterval: 0.1)
    }
    throw LabError("timed out after \(seconds) s waiting for \(what)")
}
