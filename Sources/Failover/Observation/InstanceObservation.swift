import GTID

/// One probe of one instance, in the core's vocabulary.
///
/// Field for field the Upstream module's observation (the team's cross-module mapping), so the
/// daemon's mapping is trivial and the core never imports an adapter.
public struct InstanceObservation: Hashable, Sendable {
    public var instance: InstanceAddress
    public var outcome: Outcome

    public init(instance: InstanceAddress, outcome: Outcome) {
        self.instance = instance
        self.outcome = outcome
    }

    /// The state read, or why it could not be read. An enum rather than optional fields: a
    /// failed probe carries no state, so stale GTID sets cannot pass for fresh ones.
    public enum Outcome: Hashable, Sendable {
        case reachable(InstanceState)
        case failed(ProbeFailure)
    }

    /// The instance's state, when it was reachable.
    public var state: InstanceState? {
        if case .reachable(let state) = outcome { return state }
        return nil
    }

    /// The probe failure, when it was not.
    public var failure: ProbeFailure? {
        if case .failed(let failure) = outcome { return failure }
        return nil
    }
}

/// What a reachable instance told the probe.
public struct InstanceState: Hashable, Sendable {
    /// MySQL `@@server_uuid`; MariaDB `"<gtid_domain_id>-<server_id>"` (the form DM's relay
    /// sub-directory names use, dm-interface.md §8.1).
    public var serverIdentity: String
    public var readOnly: Bool
    /// gtid-E: MySQL `@@gtid_executed`; MariaDB `@@gtid_binlog_pos`.
    public var gtidE: GTIDValue
    /// gtid-P: MySQL `@@gtid_purged`; MariaDB the `Gtid_list` of the oldest binary log.
    public var gtidP: GTIDValue
    /// The instance's own replication, or nil when it replicates from nobody (a primary).
    public var replication: ReplicationStatus?
    public var preflight: PreflightFacts

    public init(
        serverIdentity: String, readOnly: Bool, gtidE: GTIDValue, gtidP: GTIDValue,
        replication: ReplicationStatus?, preflight: PreflightFacts
    ) {
        self.serverIdentity = serverIdentity
        self.readOnly = readOnly
        self.gtidE = gtidE
        self.gtidP = gtidP
        self.replication = replication
        self.preflight = preflight
    }
}

/// The state of an instance's replica threads (`SHOW REPLICA STATUS`).
public struct ReplicationStatus: Hashable, Sendable {
    public var sourceHost: String
    public var sourcePort: UInt16
    public var ioThread: ReplicationThreadState
    public var sqlThread: ReplicationThreadState
    public var lastIOErrno: UInt32
    public var lastIOError: String
    public var lastSQLErrno: UInt32
    public var lastSQLError: String
    /// What the IO thread has received (MySQL `Retrieved_Gtid_Set`, MariaDB `Gtid_IO_Pos`);
    /// with gtid-E it tells whether a lagging replica can catch up on its own.
    public var received: GTIDValue?
    public var secondsBehind: UInt64?

    public init(
        sourceHost: String, sourcePort: UInt16, ioThread: ReplicationThreadState, sqlThread: ReplicationThreadState,
        lastIOErrno: UInt32 = 0, lastIOError: String = "", lastSQLErrno: UInt32 = 0, lastSQLError: String = "",
        received: GTIDValue? = nil, secondsBehind: UInt64? = nil
    ) {
        self.sourceHost = sourceHost
        self.sourcePort = sourcePort
        self.ioThread = ioThread
        self.sqlThread = sqlThread
        self.lastIOErrno = lastIOErrno
        self.lastIOError = lastIOError
        self.lastSQLErrno = lastSQLErrno
        self.lastSQLError = lastSQLError
        self.received = received
        self.secondsBehind = secondsBehind
    }

    /// The address the replica reads from.
    public var source: InstanceAddress { InstanceAddress(host: sourceHost, port: sourcePort) }

    /// True when the IO thread is connected to its source.
    public var ioRunning: Bool { ioThread == .running }

    /// True when the SQL (applier) thread runs.
    public var sqlRunning: Bool { sqlThread == .running }
}

/// `Replica_IO_Running` / `Replica_SQL_Running`.
public enum ReplicationThreadState: Hashable, Sendable {
    /// "Yes": connected (IO) or applying (SQL).
    case running
    /// "No": stopped by an operator or an error.
    case stopped
    /// "Connecting": the IO thread cannot reach its source right now.
    case connecting
    /// Any other text the server printed.
    case other(String)
}

/// Server settings DM needs from any upstream (DESIGN.md "Preflight").
public struct PreflightFacts: Hashable, Sendable {
    /// `@@log_bin`: DM reads the binary log.
    public var logBin: Bool
    /// `@@log_slave_updates`: a replica writes what it applies to its own binary log, which is
    /// what DM would read after the switch.
    public var logSlaveUpdates: Bool
    /// MySQL `@@gtid_mode` (DM needs `ON`); nil on MariaDB, which always has GTIDs.
    public var gtidMode: String?
    /// MariaDB `@@gtid_strict_mode`; nil on MySQL.
    public var gtidStrictMode: Bool?
    /// `@@binlog_format`; DM requires `ROW`.
    public var binlogFormat: String

    public init(logBin: Bool, logSlaveUpdates: Bool, gtidMode: String?, gtidStrictMode: Bool? = nil, binlogFormat: String) {
        self.logBin = logBin
        self.logSlaveUpdates = logSlaveUpdates
        self.gtidMode = gtidMode
        self.gtidStrictMode = gtidStrictMode
        self.binlogFormat = binlogFormat
    }
}
