import GTID

/// An instance's replication from its source, from `SHOW REPLICA STATUS`
/// (MySQL 8.0.22+) or `SHOW SLAVE STATUS` (older MySQL, MariaDB).
public struct ReplicationStatus: Equatable, Sendable {
    public var sourceHost: String
    public var sourcePort: UInt16
    /// MySQL `Source_Server_Id`/`Master_Server_Id`, MariaDB `Master_Server_Id`; nil before the IO thread connected.
    public var sourceServerID: UInt32?
    /// MySQL `Source_UUID`/`Master_UUID`; nil on MariaDB or before the IO thread connected.
    public var sourceUUID: String?
    /// The receiver (IO) thread.
    public var ioThread: ReplicationThreadState
    /// The applier (SQL) thread.
    public var sqlThread: ReplicationThreadState
    /// The IO thread's state text, e.g. `Waiting for master to send event`.
    public var ioStateText: String
    public var lastIOErrno: UInt32
    public var lastIOError: String
    public var lastSQLErrno: UInt32
    public var lastSQLError: String
    /// What the IO thread has received: MySQL `Retrieved_Gtid_Set`, MariaDB
    /// `Gtid_IO_Pos`. Nil when replication does not use GTIDs (MariaDB `Using_Gtid: No`).
    public var received: GTIDValue?
    /// What the applier has executed from the source: MySQL `Executed_Gtid_Set`,
    /// MariaDB `Gtid_Slave_Pos` (`@@gtid_slave_pos`).
    public var executed: GTIDValue?
    /// `Seconds_Behind_Source`/`Seconds_Behind_Master`; nil when NULL (SQL or IO thread stopped).
    public var secondsBehind: UInt64?
    /// How replication positions itself: MariaDB `Using_Gtid` (`Slave_Pos`, `Current_Pos`, `No`),
    /// MySQL `Auto_Position` (`1` or `0`).
    public var gtidPositioning: String

    public init(
        sourceHost: String, sourcePort: UInt16, sourceServerID: UInt32? = nil, sourceUUID: String? = nil,
        ioThread: ReplicationThreadState, sqlThread: ReplicationThreadState, ioStateText: String = "",
        lastIOErrno: UInt32 = 0, lastIOError: String = "", lastSQLErrno: UInt32 = 0, lastSQLError: String = "",
        received: GTIDValue?, executed: GTIDValue?, secondsBehind: UInt64?, gtidPositioning: String
    ) {
        self.sourceHost = sourceHost
        self.sourcePort = sourcePort
        self.sourceServerID = sourceServerID
        self.sourceUUID = sourceUUID
        self.ioThread = ioThread
        self.sqlThread = sqlThread
        self.ioStateText = ioStateText
        self.lastIOErrno = lastIOErrno
        self.lastIOError = lastIOError
        self.lastSQLErrno = lastSQLErrno
        self.lastSQLError = lastSQLError
        self.received = received
        self.executed = executed
        self.secondsBehind = secondsBehind
        self.gtidPositioning = gtidPositioning
    }

    /// True when the receiver thread is connected to its source.
    public var ioRunning: Bool { ioThread == .running }
    /// True when the applier thread runs.
    public var sqlRunning: Bool { sqlThread == .running }
    /// The source as `host:port`.
    public var source: InstanceAddress { InstanceAddress(host: sourceHost, port: sourcePort) }
}

/// The state of a replication thread as `SHOW … STATUS` prints it.
public enum ReplicationThreadState: Equatable, Sendable, CustomStringConvertible {
    /// `Yes`
    case running
    /// `No`
    case stopped
    /// `Connecting`: the IO thread is retrying its source (down, or refusing the replication user).
    case connecting
    /// `Preparing` (MariaDB) or any other text.
    case other(String)

    public init(_ text: String) {
        switch text.lowercased() {
        case "yes": self = .running
        case "no", "": self = .stopped
        case "connecting": self = .connecting
        default: self = .other(text)
        }
    }

    public var description: String {
        switch self {
        case .running: "Yes"
        case .stopped: "No"
        case .connecting: "Connecting"
        case .other(let text): text
        }
    }
}
