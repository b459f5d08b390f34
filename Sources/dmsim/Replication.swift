import GTID
import Upstream

/// What dmsim sees of an upstream through a source's address.
struct UpstreamView: Equatable {
    var serverID: UInt32
    var domainID: UInt32
    var binlogFile: String
    var binlogPosition: String
    /// `@@gtid_binlog_pos`.
    var gtidBinlogPos: String

    /// DM's MariaDB "uuid": `<gtid_domain_id>-<server_id>` (`GetMariaDBUUID`).
    var identity: String { "\(domainID)-\(serverID)" }
    var masterBinlog: String { binlogFile.isEmpty ? "" : "(\(binlogFile), \(binlogPosition))" }
}

/// One row of `SHOW SLAVE 'c' STATUS` / `SHOW ALL SLAVES STATUS`, reduced to what DM reports.
struct ConnectionStatus: Equatable {
    var name: String
    /// `Yes`, `No`, `Connecting` or `Preparing`.
    var ioState: String
    var sqlRunning: Bool
    var masterServerID: UInt32
    var gtidIOPos: String
    var lastIOErrno: Int
    var lastIOError: String
    var lastSQLErrno: Int
    var lastSQLError: String
    var masterLogFile: String
    var readMasterLogPos: String
    var relayMasterLogFile: String
    var execMasterLogPos: String
    var secondsBehindMaster: String?

    init(_ row: Row) {
        name = row["Connection_name"] ?? ""
        ioState = row["Slave_IO_Running"] ?? "No"
        sqlRunning = row["Slave_SQL_Running"] == "Yes"
        masterServerID = UInt32(row["Master_Server_Id"] ?? "") ?? 0
        gtidIOPos = row["Gtid_IO_Pos"] ?? ""
        lastIOErrno = Int(row["Last_IO_Errno"] ?? "") ?? 0
        lastIOError = row["Last_IO_Error"] ?? ""
        lastSQLErrno = Int(row["Last_SQL_Errno"] ?? "") ?? 0
        lastSQLError = row["Last_SQL_Error"] ?? ""
        masterLogFile = row["Master_Log_File"] ?? ""
        readMasterLogPos = row["Read_Master_Log_Pos"] ?? "0"
        relayMasterLogFile = row["Relay_Master_Log_File"] ?? ""
        execMasterLogPos = row["Exec_Master_Log_Pos"] ?? "0"
        secondsBehindMaster = row["Seconds_Behind_Master"]
    }

    /// The IO thread is connected and reading (MariaDB shows `Yes` only after the handshake,
    /// when `Master_Server_Id` already names the server it reads from).
    var ioReading: Bool { ioState == "Yes" }
    var ioRunning: Bool { ioState == "Yes" || ioState == "Connecting" || ioState == "Preparing" }
}

/// Which threads of a replication connection a command acts on.
enum ReplicationThreads {
    case both, io, sql

    var clause: String {
        switch self {
        case .both: return ""
        case .io: return " IO_THREAD"
        case .sql: return " SQL_THREAD"
        }
    }
}

/// The SQL dmsim runs to make subtasks real: MariaDB multi-source replication connections
/// on each task's target server, replicating by GTID from the source's address.
struct Replicator {
    let links: ServerLinks
    let downstreamLogin: SimConfig.Login?
    let downstreamPassword: String
    let upstreamLogin: SimConfig.Login?
    let upstreamPassword: String

    /// The login dmsim uses on a task's target server.
    func admin(_ task: TaskRecord) -> DBEndpoint {
        guard let downstreamLogin else { return task.target }
        return DBEndpoint(host: task.target.host, port: task.target.port,
                          user: downstreamLogin.user, password: downstreamPassword)
    }

    /// The login dmsim uses to observe a source's upstream.
    func observer(_ source: SourceRecord) -> DBEndpoint {
        guard let upstreamLogin else { return source.from }
        return DBEndpoint(host: source.from.host, port: source.from.port,
                          user: upstreamLogin.user, password: upstreamPassword)
    }

    /// Server identity, binlog position and GTID position of whatever answers at the source address.
    func observe(_ source: SourceRecord) throws(ServerFailure) -> UpstreamView {
        let endpoint = observer(source)
        let variables = try links.query(endpoint, "SELECT @@server_id, @@gtid_domain_id, @@gtid_binlog_pos")
        guard let row = variables.first, let serverID = UInt32(row.values[0] ?? ""),
              let domainID = UInt32(row.values[1] ?? "") else {
            throw ServerFailure("The upstream at \(source.from.address) did not report its server_id and gtid_domain_id.")
        }
        let master = try links.query(endpoint, "SHOW MASTER STATUS").first
        return UpstreamView(serverID: serverID, domainID: domainID,
                            binlogFile: master?["File"] ?? "", binlogPosition: master?["Position"] ?? "0",
                            gtidBinlogPos: row.values[2] ?? "")
    }

    /// Creates (or re-points) the subtask's replication connection at the source address.
    func changeMaster(_ task: TaskRecord, connection: String, source: SourceRecord) throws(ServerFailure) {
        let from = source.from
        try links.execute(admin(task), """
            CHANGE MASTER \(SQLText.literal(connection)) TO MASTER_HOST=\(SQLText.literal(from.host)), \
            MASTER_PORT=\(from.port), MASTER_USER=\(SQLText.literal(from.user)), \
            MASTER_PASSWORD=\(SQLText.literal(from.password)), MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1
            """)
    }

    func start(_ task: TaskRecord, connection: String, _ threads: ReplicationThreads) throws(ServerFailure) {
        try links.execute(admin(task), "START SLAVE \(SQLText.literal(connection))\(threads.clause)")
    }

    func stop(_ task: TaskRecord, connection: String, _ threads: ReplicationThreads) throws(ServerFailure) {
        try links.execute(admin(task), "STOP SLAVE \(SQLText.literal(connection))\(threads.clause)")
    }

    /// Removes the connection (`stop-task`); `gtid_slave_pos`, DM's checkpoint, stays.
    func remove(_ task: TaskRecord, connection: String) throws(ServerFailure) {
        try stop(task, connection: connection, .both)
        try links.execute(admin(task), "RESET SLAVE \(SQLText.literal(connection)) ALL")
    }

    /// The connection's status; nil when the downstream has no such connection.
    func status(_ task: TaskRecord, connection: String) throws(ServerFailure) -> ConnectionStatus? {
        try allStatuses(admin(task))[connection.lowercased()]
    }

    /// Every replication connection of a server, keyed by lower-cased name (MariaDB
    /// connection names are case-insensitive).
    func allStatuses(_ endpoint: DBEndpoint) throws(ServerFailure) -> [String: ConnectionStatus] {
        var result: [String: ConnectionStatus] = [:]
        for row in try links.query(endpoint, "SHOW ALL SLAVES STATUS") {
            let status = ConnectionStatus(row)
            result[status.name.lowercased()] = status
        }
        return result
    }

    /// `@@gtid_slave_pos`: what the downstream has applied, per domain (DM's checkpoint).
    func appliedPosition(_ task: TaskRecord) throws(ServerFailure) -> MariaDBGTIDPosition {
        let rows = try links.query(admin(task), "SELECT @@gtid_slave_pos")
        return MariaDBGTIDPosition(serverText: rows.first?.values.first.flatMap { $0 } ?? "")
    }

    /// Rewrites the checkpoint of some domains (`--remove-meta`, `meta.binlog-gtid`).
    ///
    /// MariaDB only accepts `SET GLOBAL gtid_slave_pos` while no replication thread runs, so
    /// every running connection on the server is stopped and then restarted thread by thread.
    func replaceCheckpoint(_ task: TaskRecord, domains: Set<UInt32>, with position: MariaDBGTIDPosition) throws(ServerFailure) {
        let endpoint = admin(task)
        let running = try allStatuses(endpoint).values.filter { $0.ioRunning || $0.sqlRunning }
        for connection in running {
            try links.execute(endpoint, "STOP SLAVE \(SQLText.literal(connection.name))")
        }
        let current = try appliedPosition(task)
        let kept = current.restricted(to: current.domains.subtracting(domains))
        let updated = kept.replacingDomains(with: position.restricted(to: domains))
        try links.execute(endpoint, "SET GLOBAL gtid_slave_pos = \(SQLText.literal(updated.dmText))")
        for connection in running {
            let threads: ReplicationThreads = connection.ioRunning && connection.sqlRunning ? .both
                : connection.ioRunning ? .io : .sql
            try links.execute(endpoint, "START SLAVE \(SQLText.literal(connection.name))\(threads.clause)")
        }
    }
}
