/// Why no automatic run may start for a group right now.
public enum AutomaticRunBlock: Hashable, Sendable {
    /// Another daemon acts for the group, or who acts is not known (see `GroupAuthority`).
    case notActing(GroupAuthority)
    /// Not every instance was probed `startup-probes` times yet.
    case startupGrace(StartupGrace)
    /// `automatic = false`: only an operator's switchover changes the upstream.
    case automaticOff
    /// An operator (or dmswitchd after a run) holds the group or all groups.
    case held(Hold)
    /// A run ended recently; `ack` or the cooldown's expiry lifts it.
    case coolingDown(Cooldown)

    public var code: String {
        switch self {
        case .notActing(let authority): authority.code
        case .startupGrace: "startup-grace"
        case .automaticOff: "automatic-off"
        case .held: "held"
        case .coolingDown: "cooling-down"
        }
    }

    public var sentence: String {
        switch self {
        case .notActing(let authority): authority.refusal ?? ""
        case .startupGrace(let grace): grace.sentence
        case .automaticOff: "Automatic failover is off for the group."
        case .held(let hold): hold.sentence
        case .coolingDown(let cooldown): "The group cools down after run \(cooldown.run) until \(cooldown.until); `ack` lifts it."
        }
    }
}

/// The rules for when runs may start; pure.
///
/// Automatic runs wait for the startup grace, need `automatic`, and are stopped by any hold
/// and by the cooldown after a run (orchestrator's `RecoveryPeriodBlockSeconds` + ack,
/// failover-anchors.md §1.5). An operator's switchover is the operator's own decision: it goes
/// through the same checks and runbook, ignores the cooldown and `operator`/`automatic` holds,
/// and is refused only by a `safety` hold, by a run in progress, or by the checks themselves
/// (see `HoldKind`).
public enum GroupPolicy {
    /// The first reason an automatic run may not start, or nil. A daemon that does not act
    /// for the group says so first: nothing else it knows could let it start a run.
    public static func automaticRunBlock(
        group: String, automatic: Bool, grace: StartupGrace, holds: [Hold], cooldown: Cooldown?,
        authority: GroupAuthority = .acting, at now: Instant
    ) -> AutomaticRunBlock? {
        if !authority.isActing { return .notActing(authority) }
        if !grace.isOver { return .startupGrace(grace) }
        if !automatic { return .automaticOff }
        if let hold = strongestHold(on: group, holds, at: now) { return .held(hold) }
        if let cooldown, cooldown.isActive(at: now) { return .coolingDown(cooldown) }
        return nil
    }

    /// Why an operator's switchover of `group` to `target` is refused before any check, or nil.
    public static func switchoverRefusal(
        group: String, target: InstanceAddress, settings: GroupSettings, upstream: InstanceAddress?,
        runInProgress: RunID?, holds: [Hold], at now: Instant
    ) -> String? {
        if let run = runInProgress { return "Run \(run) is in progress for group \(group); wait for it to end." }
        if let hold = holds.first(where: { $0.covers(group) && $0.kind.stopsSwitchover && $0.isActive(at: now) }) {
            return "\(hold.sentence) A safety hold refuses switchovers too; release it once DM has been looked at."
        }
        if settings.instance(target) == nil { return "\(target) is not an instance of group \(group)." }
        guard let upstream else { return "The upstream of group \(group) is not known yet." }
        if target == upstream { return "\(target) is already the upstream of group \(group)." }
        return nil
    }

    /// The active hold on `group` that says most (safety over automatic over operator).
    public static func strongestHold(on group: String, _ holds: [Hold], at now: Instant) -> Hold? {
        holds.filter { $0.covers(group) && $0.isActive(at: now) }.max { $0.kind < $1.kind }
    }
}
