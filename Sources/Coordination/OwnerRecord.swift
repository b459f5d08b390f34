import Foundation
import Glibc

/// Who this daemon is, as written into the owner keys it acquires.
public struct OwnerIdentity: Sendable, Equatable {
    /// Unique per daemon process: two daemons (or one restarted) never share it.
    public var id: String
    public var host: String
    public var pid: Int32

    public init(id: String, host: String, pid: Int32) {
        self.id = id
        self.host = host
        self.pid = pid
    }

    /// This process: `<host>/<pid>/<random>`, so that a restarted daemon
    /// with a recycled pid is still a different owner.
    public static func current() -> OwnerIdentity {
        let host = ProcessInfo.processInfo.hostName
        let pid = getpid()
        let nonce = UUID().uuidString.prefix(8).lowercased()
        return OwnerIdentity(id: "\(host)/\(pid)/\(nonce)", host: host, pid: pid)
    }
}

/// The JSON value of `<prefix>/groups/<group>/owner`:
/// `{"host":"db1","owner":"db1/4242/1a2b3c4d","pid":4242,"since":"2025-01-01T00:00:00Z"}`.
public struct OwnerRecord: Codable, Sendable, Equatable, CustomStringConvertible {
    public var owner: String
    public var host: String
    public var pid: Int32
    /// When the group was acquired, ISO 8601 in UTC.
    public var since: String

    public init(owner: String, host: String, pid: Int32, since: String) {
        self.owner = owner
        self.host = host
        self.pid = pid
        self.since = since
    }

    public init(_ identity: OwnerIdentity, since: Date) {
        self.init(owner: identity.id, host: identity.host, pid: identity.pid, since: ISO8601DateFormatter().string(from: since))
    }

    /// Sorted keys, so that the same record always has the same bytes.
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Nil when the value is not an owner record (written by something else).
    public static func parse(_ value: Data) -> OwnerRecord? {
        try? JSONDecoder().decode(OwnerRecord.self, from: value)
    }

    public var description: String { "\(owner) (host \(host), pid \(pid), since \(since))" }
}
