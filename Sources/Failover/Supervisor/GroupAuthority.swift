/// Whether this daemon may act for a group: start a run, take a step.
///
/// With several DM hosts, dmswitchd runs on each, and exactly one of them may act for a group
/// at a time: the one holding the group's lease in the coordination service (etcd). The
/// others keep probing and answering `status` and `check`, but start nothing. A daemon that
/// cannot reach the coordination service does not know who acts, so it acts neither.
/// Without a coordination service (one host) every group is `.acting`, always.
///
/// Transitions (each reported by the shell through `SupervisorCore.authorityChanged`):
/// - any → `.acting`: the group's run and cooldown are rebuilt from the shared journal; an
///   unfinished run continues from its last completed step, verifying DM first.
/// - `.acting` → `.observing` or `.unknown`: a run in progress takes no further step; the
///   daemon that acts next continues it from the journal.
/// - `.observing` ↔ `.unknown`: only what is said and shown changes.
public enum GroupAuthority: Hashable, Sendable {
    /// This daemon holds the group's lease, or no coordination is configured.
    case acting
    /// Another daemon holds the group's lease; `owner` is its node name.
    case observing(owner: String)
    /// Who acts is not known, because the coordination service cannot be used; `reason` is a
    /// short phrase such as "etcd is unreachable".
    case unknown(reason: String)

    public var isActing: Bool { self == .acting }

    /// The node acting for the group as far as this daemon knows: itself (`selfName`), the
    /// owner it observes, or nil when unknown.
    public func actingNode(selfName: String) -> String? {
        switch self {
        case .acting: selfName
        case .observing(let owner): owner
        case .unknown: nil
        }
    }

    /// A stable code for logs and blocks.
    public var code: String {
        switch self {
        case .acting: "acting"
        case .observing: "observing"
        case .unknown: "coordination-unavailable"
        }
    }

    /// Why this daemon does not act for the group, as one sentence; nil when it acts.
    public var refusal: String? {
        switch self {
        case .acting: nil
        case .observing(let owner): "dmswitchd on host \(owner) acts for this group."
        case .unknown(let reason): "\(reason): no new run starts."
        }
    }
}
