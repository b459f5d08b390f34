/// What kind of DM deployment a `DeploymentLab` builds.
public struct LabOptions: Sendable {
    /// The two ways DM is repointed (DESIGN.md, the four runbooks).
    public enum Scenario: String, Sendable, CaseIterable {
        case vip
        case address
    }

    public var scenario: Scenario
    /// The DM release dmsim plays: "v6.5.0" (v2+) or "v1.0.7".
    public var dmVersion: String
    public var instances: Int
    /// Priorities of the instances, by number (db1 first); missing ones are 0.
    public var priorities: [Int]
    public var detectionInterval: String
    public var detectionTimeout: String
    public var failures: Int
    public var confirmWithReplicas: Bool
    public var cooldown: String
    public var catchUpTimeout: String
    /// How long dmsim waits for a server before giving up (its `--timeout`).
    public var dmsimTimeoutSeconds: Int
    /// Relay on for the source (v2+ only; v1 always relays).
    public var relay: Bool
    public var directory: String?

    public init(
        scenario: Scenario = .vip, dmVersion: String = "v6.5.0", instances: Int = 3, priorities: [Int] = [0, 10],
        detectionInterval: String = "1s", detectionTimeout: String = "1s", failures: Int = 3,
        confirmWithReplicas: Bool = true, cooldown: String = "1h", catchUpTimeout: String = "30s",
        dmsimTimeoutSeconds: Int = 1, relay: Bool = false, directory: String? = nil
    ) {
        self.scenario = scenario
        self.dmVersion = dmVersion
        self.instances = instances
        self.priorities = priorities
        self.detectionInterval = detectionInterval
        self.detectionTimeout = detectionTimeout
        self.failures = failures
        self.confirmWithReplicas = confirmWithReplicas
        self.cooldown = cooldown
        self.catchUpTimeout = catchUpTimeout
        self.dmsimTimeoutSeconds = dmsimTimeoutSeconds
        self.relay = relay
        self.directory = directory
    }

    public var isV1: Bool { dmVersion.hasPrefix("v1") }

    /// The source-id of the lab's one group, and the name of its task.
    public static let sourceID = "mysql-replica-01"
    public static let taskName = "orders"
    /// The master address dmsim accepts (no DM-master runs; dmsim plays it).
    public static let masterAddress = "127.0.0.1:8261"
    /// The v1 DM-worker address the lab's worker answers as.
    public static let workerAddress = "127.0.0.1:8262"
    public static let workerAlias = "dm_worker1"
}
