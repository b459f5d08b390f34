/// What `dmswitchctl status` shows: every group, and the holds on all groups.
public struct SupervisorStatus: Hashable, Sendable {
    public var globalHolds: [Hold]
    public var groups: [GroupStatus]
}

/// One group's state.
public struct GroupStatus: Hashable, Sendable {
    public var name: String
    public var upstream: InstanceAddress?
    public var verdict: UpstreamVerdict
    public var instances: [InstanceStatus]
    public var holds: [Hold]
    public var cooldown: Cooldown?
    public var startupGrace: StartupGrace
    public var automatic: Bool
    public var run: RunStatus?
    /// When DM's status was last read successfully.
    public var dmStatusAt: Instant?
    /// Whether this daemon acts for the group (always, without coordination).
    public var authority: GroupAuthority = .acting
}

/// One instance's health.
public struct InstanceStatus: Hashable, Sendable {
    public var address: InstanceAddress
    public var health: InstanceHealth
    public var serverIdentity: String?
    public var lastProbeAt: Instant?
}

/// A run in progress.
public struct RunStatus: Hashable, Sendable {
    public var id: RunID
    public var kind: RunKind
    public var from: InstanceAddress
    public var to: InstanceAddress
    public var phase: RunPhase
    public var restoring: Bool
    /// 1-based position of the current step in its stage.
    public var step: Int
    public var steps: Int
    public var stepName: String?
}
