import Glibc
import Upstream

/// When the application's first write after a failure reached DM's downstream.
public struct FirstNewWrite: Sendable {
    /// The row's id in `dmsandbox.<table>`.
    public var id: UInt64
    /// When the writer got the server's acknowledgement.
    public var acknowledgedAt: ContinuousClock.Instant
    /// When the downstream first had the row (polled every 20 ms).
    public var appliedAt: ContinuousClock.Instant
}

extension DeploymentLab {
    /// Waits for the first row `writer` acknowledges beyond its first `acknowledged`
    /// rows, then until DM has applied it downstream; nil when either does not
    /// happen within `timeout`. Start it right after causing the failure (count
    /// `acknowledged` then) and let it run alongside: both instants are taken as
    /// they happen (5 ms and 20 ms polls).
    ///
    /// The recovery time of a failover is from the failure to `appliedAt`: the
    /// application wrote again (to the promoted primary) and DM carried it over.
    public func firstNewWrite(after acknowledged: Int, of writer: ContinuousWriter, table: String = "writes",
                              timeout: Duration = .seconds(60)) async throws(SandboxError) -> FirstNewWrite? {
        let deadline = ContinuousClock.now + timeout
        var found: (id: UInt64, at: ContinuousClock.Instant)?
        while found == nil {
            if let id = writer.acknowledgedID(at: acknowledged) { found = (id, .now) }
            if found == nil && ContinuousClock.now >= deadline { return nil }
            if found == nil { try? await Task.sleep(for: .milliseconds(5)) }
        }
        guard let (id, acknowledgedAt) = found else { return nil }
        guard let appliedAt = try await downstreamHas(id: id, table: table, until: deadline) else { return nil }
        return FirstNewWrite(id: id, acknowledgedAt: acknowledgedAt, appliedAt: appliedAt)
    }

    /// Polls the downstream over one connection until row `id` exists; when it first did.
    private func downstreamHas(id: UInt64, table: String, until deadline: ContinuousClock.Instant) async throws(SandboxError) -> ContinuousClock.Instant? {
        guard SQLText.isPlainIdentifier(table) else {
            throw SandboxError("look for row \(id) downstream", "the table name \"\(table)\" is not a plain identifier")
        }
        let sandbox = sandbox
        return try await sandbox.blocking { () throws(SandboxError) -> ContinuousClock.Instant? in
            guard let downstream = sandbox.downstream else { throw SandboxError("look for row \(id) downstream", "the lab has no downstream") }
            let sql = "SELECT 1 AS present FROM dmsandbox.`\(table)` WHERE id = \(id)"
            var connection: MySQLConnection?
            defer { connection?.close() }
            while ContinuousClock.now < deadline {
                do throws(MySQLError) {
                    let open: MySQLConnection
                    if let connection { open = connection } else { open = try ServerProcess.rootConnection(downstream) }
                    connection = open
                    if try !open.query(sql).isEmpty { return .now }
                } catch {
                    // The table may not exist downstream yet, or the connection broke: look again.
                    connection?.close()
                    connection = nil
                }
                usleep(20_000)
            }
            return nil
        }
    }
}
