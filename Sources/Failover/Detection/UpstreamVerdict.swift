/// The detector's judgement of a group's upstream; only `.down` is actionable.
///
/// Holistic, not "N retries": our own probes must fail N times with errors that are not proof
/// of life, the replicas must agree (orchestrator's `DeadMaster` vs `UnreachableMaster`,
/// failover-anchors.md §1.1), and if dmswitchd reaches no instance at all the fault is taken to
/// be on its own side.
public enum UpstreamVerdict: Hashable, Sendable {
    /// No upstream is known for the group (nothing to judge).
    case unknown
    /// The upstream answered the last probe.
    case healthy(InstanceAddress)
    /// The upstream refused the last probe with a proof-of-life error.
    case alive(InstanceAddress, ProbeFailure)
    /// Fewer than N consecutive failures so far.
    case suspect(InstanceAddress, failures: Int, needed: Int, last: ProbeFailure)
    /// N failures from here, but these replicas still have a connected IO thread to it.
    case seenByReplicas(InstanceAddress, failures: Int, last: ProbeFailure, connected: [InstanceAddress])
    /// No instance of the group answers dmswitchd: the fault is on our side; not actionable.
    case unreachableFromHere
    /// Down on evidence: N consecutive failures, confirmed as `confirmation` says.
    case down(InstanceAddress, failures: Int, last: ProbeFailure, confirmation: DownConfirmation)

    /// True only for `.down`: the one verdict that may start an automatic failover.
    public var isDown: Bool {
        if case .down = self { return true }
        return false
    }

    /// A stable code for logs and tests.
    public var code: String {
        switch self {
        case .unknown: "upstream-unknown"
        case .healthy: "upstream-healthy"
        case .alive: "upstream-alive"
        case .suspect: "upstream-suspect"
        case .seenByReplicas: "upstream-seen-by-replicas"
        case .unreachableFromHere: "unreachable-from-here"
        case .down: "upstream-down"
        }
    }

    /// One stable sentence.
    public var sentence: String {
        switch self {
        case .unknown:
            return "The group's upstream is not known yet."
        case .healthy(let upstream):
            return "Upstream \(upstream) answers."
        case .alive(let upstream, let failure):
            return "Upstream \(upstream) is alive but refuses the probe: \(failure)."
        case .suspect(let upstream, let failures, let needed, let last):
            return "Upstream \(upstream) failed \(failures) of \(needed) probes in a row: \(last)."
        case .seenByReplicas(let upstream, let failures, _, let connected):
            return "Upstream \(upstream) failed \(failures) probes in a row, but "
                + "\(listed(connected)) \(connected.count == 1 ? "is" : "are") still connected to it."
        case .unreachableFromHere:
            return "No instance of the group answers: the fault is on dmswitchd's side, nothing is down."
        case .down(let upstream, let failures, let last, let confirmation):
            return "Upstream \(upstream) is down: \(failures) failed probes in a row (\(last)); "
                + "\(confirmation.clause)."
        }
    }
}

/// How a "down" was confirmed beyond our own probes.
public enum DownConfirmation: Hashable, Sendable {
    /// Every reachable replica of the upstream has its IO thread not connected.
    case replicasDisconnected([InstanceAddress])
    /// No reachable replica replicates from the upstream: none can vouch for it either.
    case noReplicaCanTell
    /// `confirm-with-replicas` is off.
    case notRequired

    var clause: String {
        switch self {
        case .replicasDisconnected(let replicas):
            "\(listed(replicas)) cannot reach it either"
        case .noReplicaCanTell:
            "no reachable replica replicates from it to say otherwise"
        case .notRequired:
            "replica confirmation is off"
        }
    }
}

/// "db2:3306", "db2:3306 and db3:3306", "db2:3306, db3:3306 and db4:3306".
func listed(_ addresses: [InstanceAddress]) -> String {
    let names = addresses.map(\.description)
    guard let last = names.last else { return "none" }
    if names.count == 1 { return last }
    return names.dropLast().joined(separator: ", ") + " and " + last
}
