/// What a hold covers.
public enum HoldScope: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Every group.
    case global
    /// One group, by name (its DM source-id).
    case group(String)

    public var description: String {
        switch self {
        case .global: "all groups"
        case .group(let name): "group \(name)"
        }
    }
}

/// Who placed a hold, which decides what it stops.
///
/// Decision: a hold stops *automatic* action (DESIGN.md: "no automatic action … until released
/// or expired"). A planned switchover is an operator's explicit, checked action, so `operator`
/// and `automatic` holds allow it (Patroni's maintenance mode allows manual switchover too). A
/// `safety` hold is different: dmswitchd places it when a run left DM in a state no runbook
/// starts from (repointed but not verified, or the journal failing); then even a switchover
/// waits until an operator has looked and released it.
public enum HoldKind: String, Hashable, Sendable, CaseIterable, Comparable {
    /// Placed with `dmswitchctl hold`.
    case `operator`
    /// Placed by dmswitchd: no eligible candidate, or a run aborted before the repoint.
    case automatic
    /// Placed by dmswitchd: a run failed after the repoint, or the journal cannot be written.
    case safety

    public static func < (lhs: HoldKind, rhs: HoldKind) -> Bool { lhs.strength < rhs.strength }

    private var strength: Int {
        switch self {
        case .operator: 0
        case .automatic: 1
        case .safety: 2
        }
    }

    /// True when this hold also refuses an operator's switchover.
    public var stopsSwitchover: Bool { self == .safety }
}

/// An operator switch (or dmswitchd's own): no automatic run for its scope while active.
public struct Hold: Hashable, Sendable {
    public var scope: HoldScope
    public var kind: HoldKind
    public var reason: String
    public var owner: String
    public var placedAt: Instant
    /// nil: until released.
    public var expiresAt: Instant?

    public init(scope: HoldScope, kind: HoldKind, reason: String, owner: String, placedAt: Instant, expiresAt: Instant? = nil) {
        self.scope = scope
        self.kind = kind
        self.reason = reason
        self.owner = owner
        self.placedAt = placedAt
        self.expiresAt = expiresAt
    }

    public func isActive(at now: Instant) -> Bool {
        expiresAt.map { now < $0 } ?? true
    }

    /// True when the hold covers the group.
    public func covers(_ group: String) -> Bool {
        scope == .global || scope == .group(group)
    }

    /// "Group orders-db is held by alice until @…: maintenance."
    public var sentence: String {
        let until = expiresAt.map { " until \($0)" } ?? ""
        let subject = scope == .global ? "All groups are" : "\(scope.description.capitalizedFirst) is"
        return "\(subject) held (\(kind.rawValue)) by \(owner)\(until): \(reason)"
    }
}

/// No new automatic run for a group until acknowledged or expired.
public struct Cooldown: Hashable, Sendable {
    public var group: String
    /// The run that started it.
    public var run: RunID
    public var until: Instant

    public init(group: String, run: RunID, until: Instant) {
        self.group = group
        self.run = run
        self.until = until
    }

    public func isActive(at now: Instant) -> Bool { now < until }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
