import Foundation

/// The result of `status`: what the daemon knows about each group right now.
///
/// The daemon fills it from its state; `dmswitchctl status` renders it as tables. Health, role and
/// stage are the daemon's words as strings, so that this module does not depend on the core.
public struct StatusReport: Hashable, Codable, Sendable {
    public var groups: [GroupStatus]

    public init(groups: [GroupStatus]) {
        self.groups = groups
    }
}

/// One replication group as the daemon sees it.
public struct GroupStatus: Hashable, Codable, Sendable {
    public var name: String
    /// The instance DM reads from, if known.
    public var upstream: String?
    /// The dmswitchd node acting for this group (with several DM hosts, only one acts).
    public var actingNode: String?
    /// Why no daemon is known to act for the group (the coordination service cannot be
    /// used), if that is so.
    public var coordination: String?
    /// The operator hold on the group, if any.
    public var hold: HoldStatus?
    /// No automatic run before this time unless acknowledged.
    public var cooldownUntil: Date?
    /// The sentence of the last decision (e.g. "Upstream db-a is healthy; nothing to do.").
    public var lastDecision: String?
    public var instances: [InstanceStatus]
    public var tasks: [TaskStatus]

    public init(
        name: String, upstream: String? = nil, actingNode: String? = nil, hold: HoldStatus? = nil,
        cooldownUntil: Date? = nil, lastDecision: String? = nil, instances: [InstanceStatus] = [],
        tasks: [TaskStatus] = [], coordination: String? = nil
    ) {
        self.coordination = coordination
        self.name = name
        self.upstream = upstream
        self.actingNode = actingNode
        self.hold = hold
        self.cooldownUntil = cooldownUntil
        self.lastDecision = lastDecision
        self.instances = instances
        self.tasks = tasks
    }
}

/// Who held a group, why, and until when.
public struct HoldStatus: Hashable, Codable, Sendable {
    /// The user that asked (`alice`, or `uid 1000` without a passwd entry), or `dmswitchd` for a
    /// hold the daemon put on a group itself because no candidate qualified.
    public var owner: String
    public var reason: String
    public var since: Date
    /// Nil: until released.
    public var until: Date?

    public init(owner: String, reason: String, since: Date, until: Date? = nil) {
        self.owner = owner
        self.reason = reason
        self.since = since
        self.until = until
    }
}

/// One instance of a group with its last observation.
public struct InstanceStatus: Hashable, Codable, Sendable {
    public var name: String
    /// `host:port`
    public var address: String
    /// The detector's verdict, e.g. `up`, `suspect`, `down`, `unreachable`.
    public var health: String
    /// MySQL `server_uuid`, MariaDB `domain-serverid`.
    public var identity: String?
    public var readOnly: Bool?
    /// gtid-E in canonical text.
    public var gtidExecuted: String?
    /// e.g. `upstream`, `replica`, `candidate`.
    public var role: String?

    public init(
        name: String, address: String, health: String, identity: String? = nil, readOnly: Bool? = nil,
        gtidExecuted: String? = nil, role: String? = nil
    ) {
        self.name = name
        self.address = address
        self.health = health
        self.identity = identity
        self.readOnly = readOnly
        self.gtidExecuted = gtidExecuted
        self.role = role
    }
}

/// One DM task with a subtask on the group's source.
public struct TaskStatus: Hashable, Codable, Sendable {
    public var name: String
    /// DM's stage: `Running`, `Paused`, `Stopped`…
    public var stage: String
    /// What DM has already taken (gtid-S), in canonical text.
    public var gtidS: String?

    public init(name: String, stage: String, gtidS: String? = nil) {
        self.name = name
        self.stage = stage
        self.gtidS = gtidS
    }
}
