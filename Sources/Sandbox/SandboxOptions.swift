/// What `Sandbox.start` builds.
public struct SandboxOptions: Sendable {
    /// Servers in the replication group (db1 is the primary, the rest replicate from it). 1 to 9.
    public var instances: Int
    /// Where to put everything; nil makes a temporary directory that `shutdown()` removes.
    public var directory: String?
    /// Start HAProxy as the group's VIP, pointing at the primary.
    public var vip: Bool
    /// Start a separate, non-replicating server as dmsim's downstream ("TiDB").
    public var downstream: Bool
    /// `max_connections` of every server, 10 (MariaDB's minimum) or more; small values let tests exhaust it.
    public var maxConnections: Int
    /// `slave_net_timeout` in seconds: how soon a replica gives up on a silent primary.
    public var slaveNetTimeoutSeconds: Int
    /// Set up GTID replication from db1; false leaves independent servers.
    public var replicate: Bool

    public init(
        instances: Int = 3, directory: String? = nil, vip: Bool = false, downstream: Bool = false,
        maxConnections: Int = 100, slaveNetTimeoutSeconds: Int = 3, replicate: Bool = true
    ) {
        self.instances = instances
        self.directory = directory
        self.vip = vip
        self.downstream = downstream
        self.maxConnections = maxConnections
        self.slaveNetTimeoutSeconds = slaveNetTimeoutSeconds
        self.replicate = replicate
    }

    func validate() throws(SandboxError) {
        guard (1...9).contains(instances) else {
            throw SandboxError("start a sandbox", "the number of instances must be 1 to 9, not \(instances)")
        }
        // MariaDB raises max_connections below 10 to 10.
        guard (10...10_000).contains(maxConnections) else {
            throw SandboxError("start a sandbox", "max_connections must be 10 to 10000, not \(maxConnections)")
        }
        guard (1...3600).contains(slaveNetTimeoutSeconds) else {
            throw SandboxError("start a sandbox", "slave_net_timeout must be 1 to 3600 seconds, not \(slaveNetTimeoutSeconds)")
        }
    }
}

/// The users a sandbox creates, by role.
public enum SandboxUser: String, Sendable, CaseIterable {
    case monitor, replication, writer, admin
}
