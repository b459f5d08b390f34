import GTID

/// The state of a reachable instance at the instant of a probe.
///
/// Names follow the design vocabulary: `gtidE` is what the instance has
/// executed (MySQL `@@GLOBAL.gtid_executed`, MariaDB `@@gtid_binlog_pos`),
/// `gtidP` what it has purged from its binary logs (MySQL
/// `@@GLOBAL.gtid_purged`, MariaDB the `Gtid_list` event at the start of the
/// oldest binary log). A candidate can serve DM only if gtid-P ⊆ gtid-S ⊆ gtid-E.
public struct InstanceState: Equatable, Sendable, CustomStringConvertible {
    public var version: ServerVersion
    /// `@@version_comment`, e.g. `Debian 12` or `MySQL Community Server - GPL`.
    public var versionComment: String
    /// MySQL `@@server_uuid`; MariaDB `"<gtid_domain_id>-<server_id>"`.
    public var serverIdentity: String
    public var serverID: UInt32
    /// MariaDB `@@gtid_domain_id`; nil on MySQL.
    public var gtidDomainID: UInt32?
    /// `@@read_only` (MySQL: also true when `super_read_only` is on).
    public var readOnly: Bool
    /// gtid-E: the transactions this instance has executed (and logged).
    public var gtidE: GTIDValue
    /// gtid-P: the transactions no longer in this instance's binary logs.
    public var gtidP: GTIDValue
    /// The instance's replication from its source; nil when it is not a replica.
    public var replication: ReplicationStatus?
    /// The settings dmswitch requires of every instance of a group.
    public var preflight: PreflightFacts

    public init(
        version: ServerVersion, versionComment: String, serverIdentity: String, serverID: UInt32,
        gtidDomainID: UInt32?, readOnly: Bool, gtidE: GTIDValue, gtidP: GTIDValue,
        replication: ReplicationStatus?, preflight: PreflightFacts
    ) {
        self.version = version
        self.versionComment = versionComment
        self.serverIdentity = serverIdentity
        self.serverID = serverID
        self.gtidDomainID = gtidDomainID
        self.readOnly = readOnly
        self.gtidE = gtidE
        self.gtidP = gtidP
        self.replication = replication
        self.preflight = preflight
    }

    public var flavor: GTIDFlavor { version.flavor }

    public var description: String {
        var text = "\(version) identity=\(serverIdentity) read_only=\(readOnly) gtid-E=\"\(gtidE)\" gtid-P=\"\(gtidP)\""
        if let replication {
            text += " replicating from \(replication.sourceHost):\(replication.sourcePort)"
                + " io=\(replication.ioThread) sql=\(replication.sqlThread)"
        }
        return text
    }
}

/// Facts dmswitch checks before it manages a group (the design's preflight):
/// binary log on, replica updates logged, GTID mode on, row-based logging.
public struct PreflightFacts: Equatable, Sendable {
    /// `@@log_bin`.
    public var logBin: Bool
    /// `@@log_slave_updates` (MySQL 8.0.26+: `@@log_replica_updates`).
    public var logSlaveUpdates: Bool
    /// MySQL `@@gtid_mode` (`OFF`, `OFF_PERMISSIVE`, `ON_PERMISSIVE`, `ON`); nil on MariaDB.
    public var gtidMode: String?
    /// MySQL `@@enforce_gtid_consistency`; nil on MariaDB.
    public var enforceGTIDConsistency: String?
    /// MariaDB `@@gtid_strict_mode`; nil on MySQL.
    public var gtidStrictMode: Bool?
    /// `@@binlog_format` (`ROW`, `MIXED`, `STATEMENT`).
    public var binlogFormat: String

    public init(logBin: Bool, logSlaveUpdates: Bool, gtidMode: String?, enforceGTIDConsistency: String?,
                gtidStrictMode: Bool?, binlogFormat: String) {
        self.logBin = logBin
        self.logSlaveUpdates = logSlaveUpdates
        self.gtidMode = gtidMode
        self.enforceGTIDConsistency = enforceGTIDConsistency
        self.gtidStrictMode = gtidStrictMode
        self.binlogFormat = binlogFormat
    }
}
