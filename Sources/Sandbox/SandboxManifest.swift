import Foundation
import Posix
import Upstream

/// Everything about a running sandbox that another process needs: ports, pids,
/// users and their password files, the HAProxy admin socket. Written to
/// `DIR/sandbox.json` after every change, so `dmsandbox` subcommands, `make
/// demo` scripts and tests in other processes act on the same servers.
public struct SandboxManifest: Codable, Equatable, Sendable {
    public static let fileName = "sandbox.json"

    public var formatVersion = 1
    /// The sandbox's directory (absolute).
    public var directory: String
    /// The process that started the sandbox.
    public var ownerPID: Int32
    /// True for a sandbox in a temporary directory owned by a test process:
    /// it is removed when that process ends, or by the next sandbox start if
    /// the process died without cleaning up.
    public var temporary: Bool
    /// The group's instances, `db1` … `dbN`.
    public var instances: [InstanceRecord]
    /// The instance number (1-based) of the group's primary.
    public var primary: Int
    /// The plain MariaDB server used as the downstream ("TiDB") by dmsim, if started.
    public var downstream: InstanceRecord?
    public var users: UsersRecord
    /// The HAProxy VIP, if started.
    public var vip: VIPRecord?

    /// Reads `DIR/sandbox.json`.
    public static func load(directory: String) throws(SandboxError) -> SandboxManifest {
        let path = (directory as NSString).appendingPathComponent(fileName)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SandboxError("read \(path)", "the file does not exist or is unreadable; start a sandbox with `dmsandbox up --dir \(directory)`")
        }
        do {
            return try JSONDecoder().decode(SandboxManifest.self, from: data)
        } catch {
            throw SandboxError("read \(path)", "it is not a sandbox manifest (\(error))")
        }
    }

    /// Writes `DIR/sandbox.json` atomically (temp file, fsync, rename).
    public func save() throws(SandboxError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw SandboxError("write \(path)", "\(error)")
        }
        do {
            try AtomicFile.write(path: path, contents: Array(data) + [10], mode: 0o644)
        } catch {
            throw SandboxError("write \(path)", error)
        }
    }

    /// The group instance with this number.
    public func instance(_ number: Int) throws(SandboxError) -> InstanceRecord {
        guard let record = instances.first(where: { $0.number == number }) else {
            throw SandboxError("find instance \(number)", "the sandbox has instances 1 to \(instances.count)")
        }
        return record
    }
}

/// One server of the sandbox.
public struct InstanceRecord: Codable, Equatable, Sendable {
    /// `db1` … `dbN`, or `downstream`.
    public var name: String
    /// 1-based number within the group; 0 for the downstream.
    public var number: Int
    public var host: String
    public var port: UInt16
    public var serverID: UInt32
    public var gtidDomainID: UInt32
    /// The server's pid while it runs or is stopped; nil once killed.
    public var pid: Int32?
    public var status: InstanceStatus
    public var socket: String
    public var dataDirectory: String
    public var configFile: String
    public var errorLog: String

    public var address: InstanceAddress { InstanceAddress(host: host, port: port) }
}

/// What the sandbox last did to a server.
public enum InstanceStatus: String, Codable, Sendable {
    /// Started and answering.
    case running
    /// SIGSTOPped: accepts TCP connections in the kernel, answers nothing.
    case stopped
    /// Killed with SIGKILL (or shut down); its data directory is kept for a restart.
    case killed
}

/// A user the sandbox created on every server, with the file holding its password.
public struct UserRecord: Codable, Equatable, Sendable {
    public var user: String
    public var passwordFile: String
    /// What is granted, as in `GRANT <privileges> TO …`: `REPLICATION SLAVE ON *.*`.
    public var privileges: String
    /// Granted `WITH GRANT OPTION`.
    public var grantOption: Bool

    /// Reads the password file into credentials.
    public func credentials() throws(SandboxError) -> MySQLCredentials {
        do {
            return try MySQLCredentials(user: user, passwordFile: passwordFile)
        } catch {
            throw SandboxError("read the password of \(user)", error.description)
        }
    }
}

/// The sandbox's users. All connect from 127.0.0.1; root only through each server's Unix socket.
public struct UsersRecord: Codable, Equatable, Sendable {
    /// What dmswitchd connects as: the least privileges its probe needs.
    public var monitor: UserRecord
    /// What replicas (and dmsim's downstream) replicate as.
    public var replication: UserRecord
    /// What the application writer uses: the `dmsandbox` database only.
    public var writer: UserRecord
    /// Everything, over TCP, for tools in other processes (dmsim on the downstream).
    public var admin: UserRecord
}

/// The HAProxy process that plays the group's VIP.
public struct VIPRecord: Codable, Equatable, Sendable {
    public var host: String
    public var port: UInt16
    /// HAProxy's runtime API socket (`stats socket … level admin`).
    public var adminSocket: String
    /// The backend whose servers are the instances.
    public var backend: String
    /// Server name in the backend → instance number.
    public var servers: [String: Int]
    public var pid: Int32?
    public var configFile: String
    public var log: String

    public var address: InstanceAddress { InstanceAddress(host: host, port: port) }
}
