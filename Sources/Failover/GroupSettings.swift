/// What the core needs to know about one configured group.
///
/// The daemon builds it from `DMSwitchConfiguration`; the core has its own type so that it
/// depends on nothing but `GTID`.
public struct GroupSettings: Hashable, Sendable {
    /// The DM `source-id`; also the group's name in logs, holds and the journal.
    public var name: String
    public var instances: [InstanceSpec]
    /// The saved task files the address runbooks start tasks from, by task name. Which tasks a
    /// run pauses is DM's own list of tasks on the source (the daemon's DM status).
    public var tasks: [TaskSpec]
    public var dm: DMGeneration
    /// DM v2+: relay runs for the source (v1.0 always runs relay).
    public var relayEnabled: Bool
    public var repoint: RepointMethod
    public var detection: DetectionSettings
    /// Whether a down upstream starts a failover by itself (false: only an operator's
    /// switchover changes the upstream).
    public var automatic: Bool
    /// How long a candidate that has received, but not applied, what DM needs is waited for.
    public var catchUpTimeout: Duration
    /// After a run, no new automatic run for the group until `ack` or this much time.
    public var cooldown: Duration
    public var retry: RetryPolicy
    /// The longest the shell may take to perform one step; an unanswered step fails then.
    public var stepTimeout: Duration
    /// How often DM's status is read while nothing happens (for `status` and `check`).
    public var dmStatusInterval: Duration

    public init(
        name: String, instances: [InstanceSpec], tasks: [TaskSpec], dm: DMGeneration,
        relayEnabled: Bool = false, repoint: RepointMethod,
        detection: DetectionSettings = DetectionSettings(), automatic: Bool = true, catchUpTimeout: Duration = .seconds(30),
        cooldown: Duration = .seconds(3600), retry: RetryPolicy = RetryPolicy(),
        stepTimeout: Duration = .seconds(60), dmStatusInterval: Duration = .seconds(10)
    ) {
        self.name = name
        self.instances = instances
        self.tasks = tasks
        self.dm = dm
        self.relayEnabled = relayEnabled
        self.repoint = repoint
        self.detection = detection
        self.automatic = automatic
        self.catchUpTimeout = catchUpTimeout
        self.cooldown = cooldown
        self.retry = retry
        self.stepTimeout = stepTimeout
        self.dmStatusInterval = dmStatusInterval
    }

    /// The configured instance at this address.
    public func instance(_ address: InstanceAddress) -> InstanceSpec? {
        instances.first { $0.address == address }
    }

    /// Which of the four runbooks this group uses.
    public var runbook: RunbookKind {
        switch (dm, repoint) {
        case (.v2, .vip): .v2VIP
        case (.v2, .address): .v2Address
        case (.v1, .vip): .v1VIP
        case (.v1, .address): .v1Address
        }
    }

    /// True when DM's relay reads the upstream: always in v1.0, by configuration in v2+.
    public var relayRuns: Bool { dm == .v1 || relayEnabled }
}

/// One configured instance.
public struct InstanceSpec: Hashable, Sendable {
    public var address: InstanceAddress
    /// Higher is preferred; the first ranking key among eligible candidates.
    public var priority: Int
    /// The operator's `no-failover`: never a candidate.
    public var noFailover: Bool

    public init(address: InstanceAddress, priority: Int = 0, noFailover: Bool = false) {
        self.address = address
        self.priority = priority
        self.noFailover = noFailover
    }
}

/// One DM task on the group's source.
public struct TaskSpec: Hashable, Sendable {
    public var name: String
    /// The saved task file (real passwords) `start-task` is given; never DM's `******` export.
    public var file: String

    public init(name: String, file: String) {
        self.name = name
        self.file = file
    }
}

/// The two published forms of DM's switch procedure.
public enum DMGeneration: String, Hashable, Sendable, CaseIterable {
    /// DM v1.0: DM-Ansible, relay always on, `switch-relay-master`.
    case v1
    /// DM v2.0 and later: sources, `operate-source`.
    case v2
}

/// How DM is made to read from the new upstream.
public enum RepointMethod: Hashable, Sendable {
    /// A virtual IP DM connects to; the operator's hook moves it.
    case vip(InstanceAddress)
    /// DM's source (v2+) or the worker's inventory entry (v1.0) gets the new host and port.
    case address

    /// The VIP, in the VIP scenario.
    public var vip: InstanceAddress? {
        if case .vip(let address) = self { return address }
        return nil
    }
}

/// Detection knobs (failover-anchors.md §6.2 gives the starting values).
public struct DetectionSettings: Hashable, Sendable {
    public var probeInterval: Duration
    public var probeTimeout: Duration
    /// N: consecutive failed probes (not proof of life) before an instance is down.
    public var failuresBeforeDown: Int
    /// Also require the replicas' own view (their IO threads cannot reach the upstream either).
    public var confirmWithReplicas: Bool
    /// No automatic action before every instance was probed this many times.
    public var startupProbes: Int

    public init(
        probeInterval: Duration = .seconds(2), probeTimeout: Duration = .seconds(1),
        failuresBeforeDown: Int = 3, confirmWithReplicas: Bool = true, startupProbes: Int = 3
    ) {
        self.probeInterval = probeInterval
        self.probeTimeout = probeTimeout
        self.failuresBeforeDown = failuresBeforeDown
        self.confirmWithReplicas = confirmWithReplicas
        self.startupProbes = startupProbes
    }
}

/// How a failed step is retried.
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts per step, the first included.
    public var maxAttempts: Int
    public var firstBackoff: Duration
    public var maxBackoff: Duration

    public init(maxAttempts: Int = 3, firstBackoff: Duration = .seconds(2), maxBackoff: Duration = .seconds(30)) {
        self.maxAttempts = maxAttempts
        self.firstBackoff = firstBackoff
        self.maxBackoff = maxBackoff
    }

    /// The wait after failed attempt `attempt` (1-based): doubling from `firstBackoff`, capped.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        var wait = firstBackoff
        for _ in 1..<max(attempt, 1) where wait < maxBackoff { wait = wait * 2 }
        return min(wait, maxBackoff)
    }
}
