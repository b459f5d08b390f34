import Foundation
import Glibc
import GTID
import Upstream

/// Replication: the initial setup, and the moves a group's own HA tool makes.
extension Sandbox {
    /// Promotes instance `number` the way an HA tool (MHA, orchestrator) would:
    /// 1. every running replica applies the relay log it has received (RESET SLAVE ALL would
    ///    delete what the candidate received but did not apply yet);
    /// 2. if another replica has more than the candidate (its IO thread got further before the
    ///    primary died), the candidate first replicates from it until it has everything, so the
    ///    other replicas can follow it without diverging;
    /// 3. on the candidate: STOP SLAVE, RESET SLAVE ALL, read_only=OFF;
    /// 4. every other running instance (the old primary too, if it runs):
    ///    read_only=ON, then replicate from the candidate by GTID (`MASTER_USE_GTID=slave_pos`);
    /// 5. record the candidate as the primary.
    /// A replica whose SQL thread is stopped keeps what it has not applied: it is neither
    /// waited for nor used as the reference of step 2.
    /// Killed and SIGSTOPped instances are left alone (`rejoin` them later).
    /// The VIP does not move; call `moveVIP(to:)` for that.
    public func promote(_ number: Int) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in try self.promoteNow(number) }
    }

    /// Makes a running instance replicate from the current primary (after a
    /// restart of an old primary, or a SIGCONT after a promotion).
    public func rejoin(_ number: Int) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in
            let record = try self.instance(number)
            guard record.number != self.manifest.primary else {
                throw SandboxError("rejoin \(record.name)", "it is the primary")
            }
            try self.replicate(record, from: self.primary)
            try self.waitUntilReplicating([record], timeout: .seconds(15))
        }
    }

    /// Waits until every running replica has applied everything the primary has logged.
    public func waitForReplicas(timeout: Duration = .seconds(20)) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in try self.waitForReplicasNow(timeout: timeout) }
    }

    /// Stops the applier (SQL) thread of replica `number`; its IO thread keeps receiving.
    public func stopReplicaSQLThread(_ number: Int) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in
            let record = try self.instance(number)
            try self.root(record, "stop the SQL thread of \(record.name)", ["STOP SLAVE SQL_THREAD"])
        }
    }

    /// Starts the applier (SQL) thread of replica `number` again.
    public func startReplicaSQLThread(_ number: Int) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in
            let record = try self.instance(number)
            try self.root(record, "start the SQL thread of \(record.name)", ["START SLAVE SQL_THREAD"])
        }
    }

    // MARK: - Blocking implementations

    /// db1 writable, every other instance replicating from it. Blocking.
    func setUpReplication() throws(SandboxError) {
        let manifest = manifest
        let primary = primary
        try root(primary, "make \(primary.name) the primary", ["SET GLOBAL read_only = 0"])
        let replicas = manifest.instances.filter { $0.number != manifest.primary }
        for replica in replicas {
            try replicate(replica, from: primary)
        }
        try waitUntilReplicating(replicas, timeout: .seconds(20))
    }

    func promoteNow(_ number: Int) throws(SandboxError) {
        let candidate = try instance(number)
        guard candidate.status == .running else {
            throw SandboxError("promote \(candidate.name)", "it is \(candidate.status.rawValue), not running")
        }
        let before = manifest
        var applying: [InstanceRecord] = []
        for record in before.instances where record.status == .running && record.number != before.primary {
            if try applyRelayLog(of: record), record.number != number { applying.append(record) }
        }
        try catchUp(candidate, from: applying)
        try root(candidate, "promote \(candidate.name)", ["STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = 0"])
        update { $0.primary = number }
        let others = manifest.instances.filter { $0.number != number && $0.status == .running }
        for other in others {
            try replicate(other, from: candidate)
        }
        try waitUntilReplicating(others, timeout: .seconds(15))
    }

    /// Waits until a replica whose SQL thread runs has applied everything its IO thread
    /// received; false (nothing waited for) when it is no replica or its SQL thread is stopped.
    private func applyRelayLog(of record: InstanceRecord) throws(SandboxError) -> Bool {
        let operation = "wait for \(record.name) to apply its relay log"
        guard let row = try rootQuery(record, operation, "SHOW SLAVE STATUS").first, row["Slave_SQL_Running"] == "Yes" else {
            return false
        }
        try waitForPosition(row["Gtid_IO_Pos"] ?? "", on: record, operation: operation)
        return true
    }

    /// Makes `candidate` replicate from the replica among `others` with the most transactions,
    /// when that one has executed something the candidate has not, until the candidate has it all.
    private func catchUp(_ candidate: InstanceRecord, from others: [InstanceRecord]) throws(SandboxError) {
        func executed(_ record: InstanceRecord) throws(SandboxError) -> MariaDBGTIDPosition {
            let operation = "read the executed GTIDs of \(record.name)"
            let text = try rootQuery(record, operation, "SELECT @@GLOBAL.gtid_binlog_pos AS position").first?["position"] ?? ""
            do {
                return try MariaDBGTIDPosition(text)
            } catch {
                throw SandboxError(operation, "\(text) is not a MariaDB GTID position: \(error)")
            }
        }
        let mine = try executed(candidate)
        var ahead: (record: InstanceRecord, position: MariaDBGTIDPosition)?
        for other in others {
            let position = try executed(other)
            if !mine.includes(position), position.transactionCount > ahead?.position.transactionCount ?? 0 {
                ahead = (other, position)
            }
        }
        guard let (source, position) = ahead else { return }
        try replicate(candidate, from: source)
        try waitForPosition(position.description, on: candidate, operation: "let \(candidate.name) catch up from \(source.name)")
    }

    /// `MASTER_GTID_WAIT`: until `record` has applied `position`, at most `timeout` (whole
    /// seconds); when it has not, the error says what its replication threads report.
    private func waitForPosition(_ position: String, on record: InstanceRecord, operation: String,
                                 timeout: Duration = .seconds(15)) throws(SandboxError) {
        guard !position.isEmpty else { return }
        let seconds = max(1, timeout.components.seconds)
        let result: [Row]
        do {
            let connection = try ServerProcess.rootConnection(record, timeouts: ConnectionTimeouts(connect: .seconds(2), read: .seconds(seconds + 5)))
            result = try connection.query("SELECT MASTER_GTID_WAIT(\(SQLText.literal(position)), \(seconds)) AS waited")
        } catch {
            throw SandboxError(operation, error)
        }
        guard result.first?["waited"] == "0" else {
            let row = try? rootQuery(record, operation, "SHOW SLAVE STATUS").first
            let state = row.map {
                "IO \($0["Slave_IO_Running"] ?? "?") (\($0["Last_IO_Error"] ?? "")), SQL \($0["Slave_SQL_Running"] ?? "?") "
                    + "(\($0["Last_SQL_Error"] ?? "")), received \($0["Gtid_IO_Pos"] ?? "?")"
            }
            throw SandboxError(operation, "it had not applied \(position) after \(seconds) s: \(state ?? "it does not replicate")")
        }
    }

    /// Points `record` at `source` by GTID and starts replication. An instance
    /// that was not a replica (a former primary) first takes its own binlog
    /// position as its replication position, so it asks only for what it lacks.
    func replicate(_ record: InstanceRecord, from source: InstanceRecord) throws(SandboxError) {
        let operation = "make \(record.name) replicate from \(source.name)"
        let password = try credentials(.replication).password
        let wasReplica = !(try rootQuery(record, operation, "SHOW SLAVE STATUS")).isEmpty
        var statements = ["SET GLOBAL read_only = 1", "STOP SLAVE"]
        if !wasReplica {
            statements.append("SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos")
        }
        statements.append(
            "CHANGE MASTER TO MASTER_HOST = \(SQLText.literal(source.host)), MASTER_PORT = \(source.port), "
                + "MASTER_USER = \(SQLText.literal(users.replication.user)), MASTER_PASSWORD = \(SQLText.literal(password)), "
                + "MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1")
        statements.append("START SLAVE")
        try root(record, operation, statements)
    }

    /// Waits until both replication threads of every record run.
    func waitUntilReplicating(_ records: [InstanceRecord], timeout: Duration) throws(SandboxError) {
        let deadline = ContinuousClock.now + timeout
        for record in records {
            while true {
                let rows = try rootQuery(record, "read the replication status of \(record.name)", "SHOW SLAVE STATUS")
                let row = rows.first
                if row?["Slave_IO_Running"] == "Yes" && row?["Slave_SQL_Running"] == "Yes" { break }
                if ContinuousClock.now >= deadline {
                    let detail = row.map { "IO \($0["Slave_IO_Running"] ?? "?") (\($0["Last_IO_Error"] ?? "")), SQL \($0["Slave_SQL_Running"] ?? "?") (\($0["Last_SQL_Error"] ?? ""))" }
                    throw SandboxError("start replication on \(record.name)", "it was not replicating after \(timeout): \(detail ?? "no replication configured")")
                }
                usleep(50_000)
            }
        }
    }

    func waitForReplicasNow(timeout: Duration) throws(SandboxError) {
        let manifest = manifest
        let primary = primary
        let rows = try rootQuery(primary, "read the primary's GTID position", "SELECT @@GLOBAL.gtid_binlog_pos AS position")
        let position = rows.first?["position"] ?? ""
        for replica in manifest.instances where replica.number != manifest.primary && replica.status == .running {
            try waitForPosition(position, on: replica, operation: "wait for \(replica.name) to apply \(position)", timeout: timeout)
        }
    }
}
