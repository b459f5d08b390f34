import Foundation
import Glibc
import Upstream

/// Writing data, purging binary logs, and ad-hoc statements.
extension Sandbox {
    /// Where writes go.
    public enum WriteTarget: Sendable {
        /// The instance the sandbox last made primary.
        case primary
        /// Through the HAProxy VIP.
        case vip
        /// A specific instance.
        case instance(Int)
    }

    /// Creates `dmsandbox.<table>` if needed and inserts `count` rows, one
    /// autocommitted INSERT each, as the writer user; returns the ids the
    /// server acknowledged, in order.
    public func writeRows(_ count: Int, table: String = "writes", through target: WriteTarget = .primary) async throws(SandboxError) -> [UInt64] {
        try await blocking { () throws(SandboxError) -> [UInt64] in
            let writer = try RowWriter(sandbox: self, table: table)
            let connection = try writer.connect(to: self.address(of: target))
            var ids: [UInt64] = []
            for _ in 0..<count {
                ids.append(try writer.insert(on: connection))
            }
            return ids
        }
    }

    /// `FLUSH BINARY LOGS`, then `PURGE BINARY LOGS TO` the new log, on instance
    /// `number` (the primary when nil). Returns the name of the log that is now
    /// the oldest; its Gtid_list event is the instance's new gtid-P.
    @discardableResult
    public func purgeBinaryLogs(on number: Int? = nil) async throws(SandboxError) -> String {
        try await blocking { () throws(SandboxError) -> String in
            let record = try number.map { n throws(SandboxError) in try self.instance(n) } ?? self.primary
            let operation = "purge the binary logs of \(record.name)"
            let connection: MySQLConnection
            let logs: [Row]
            do throws(MySQLError) {
                connection = try ServerProcess.rootConnection(record)
                try connection.execute("FLUSH BINARY LOGS")
                logs = try connection.query("SHOW BINARY LOGS")
            } catch {
                throw SandboxError(operation, error)
            }
            guard let newest = logs.last?["Log_name"] else {
                throw SandboxError(operation, "the server listed no binary log")
            }
            // PURGE skips a log a replica still reads; replicas move to the new
            // log within moments of the rotation, so purge again until they have.
            let deadline = ContinuousClock.now + .seconds(10)
            while true {
                let remaining: [Row]
                do throws(MySQLError) {
                    try connection.execute("PURGE BINARY LOGS TO \(SQLText.literal(newest))")
                    remaining = try connection.query("SHOW BINARY LOGS")
                } catch {
                    throw SandboxError(operation, error)
                }
                if remaining.first?["Log_name"] == newest { break }
                guard ContinuousClock.now < deadline else {
                    let names = remaining.compactMap { $0["Log_name"] }
                    throw SandboxError(operation, "older logs are still listed after 10 s (a replica still reads them): \(names)")
                }
                usleep(50_000)
            }
            return newest
        }
    }

    /// Runs a query as root through the socket of instance `number` (0: the downstream).
    public func query(_ sql: String, on number: Int) async throws(SandboxError) -> [Row] {
        try await blocking { () throws(SandboxError) -> [Row] in
            let record = try self.record(number)
            return try self.rootQuery(record, "run \(sql) on \(record.name)", sql)
        }
    }

    /// Runs statements as root through the socket of instance `number` (0: the downstream).
    public func execute(_ statements: [String], on number: Int) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in
            let record = try self.record(number)
            try self.root(record, "run \(statements.joined(separator: "; ")) on \(record.name)", statements)
        }
    }

    /// A TCP connection to instance `number` (0: the downstream) as one of the
    /// sandbox's users. Blocking: call it from a dedicated thread (`MySQLThread.run`).
    public func connect(to number: Int, as user: SandboxUser, timeouts: ConnectionTimeouts = ConnectionTimeouts()) throws(SandboxError) -> MySQLConnection {
        let record = try record(number)
        let credentials = try credentials(user)
        do {
            return try MySQLConnection(to: record.address, credentials: credentials, timeouts: timeouts)
        } catch {
            throw SandboxError("connect to \(record.name) as \(user.rawValue)", error)
        }
    }

    /// The group instance `number`, or the downstream for 0.
    func record(_ number: Int) throws(SandboxError) -> InstanceRecord {
        if number == 0 {
            guard let downstream else { throw SandboxError("find the downstream", "this sandbox was started without one") }
            return downstream
        }
        return try instance(number)
    }

    func address(of target: WriteTarget) throws(SandboxError) -> InstanceAddress {
        switch target {
        case .primary: return primary.address
        case .instance(let number): return try instance(number).address
        case .vip:
            guard let vip else { throw SandboxError("write through the VIP", "this sandbox was started without one") }
            return vip.address
        }
    }
}
