/// What to probe: an instance, or the VIP (whose answer tells which instance it points at).
public struct ProbeTarget: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var address: InstanceAddress
    /// True for the probe through the group's VIP.
    public var throughVIP: Bool

    public init(group: String, address: InstanceAddress, throughVIP: Bool = false) {
        self.group = group
        self.address = address
        self.throughVIP = throughVIP
    }

    public var description: String { throughVIP ? "the VIP \(address) of group \(group)" : "\(address) of group \(group)" }
}

/// One probe the core asked for; its result is reported with it, so late results of abandoned
/// probes are recognised.
public struct ProbeTicket: Hashable, Sendable {
    public var target: ProbeTarget
    public var sequence: UInt64

    public init(target: ProbeTarget, sequence: UInt64) {
        self.target = target
        self.sequence = sequence
    }
}

/// When each target is probed next, and which probes are out; pure.
///
/// One probe per target at a time, every `interval`. A probe that has not reported by twice its
/// timeout is counted as timed out by the core itself: a shell thread stuck in a hung server's
/// socket must not keep the detector from ever seeing the failure.
struct ProbeSchedule: Hashable, Sendable {
    let interval: Duration
    let timeout: Duration
    private(set) var next: [ProbeTarget: Instant] = [:]
    private(set) var outstanding: [ProbeTarget: Outstanding] = [:]
    private var sequence: UInt64 = 0

    struct Outstanding: Hashable, Sendable {
        var sequence: UInt64
        var deadline: Instant
    }

    init(targets: [ProbeTarget], interval: Duration, timeout: Duration, at now: Instant) {
        self.interval = interval
        self.timeout = timeout
        for target in targets { next[target] = now }
    }

    /// The probes due at `now`, now outstanding, in the order of their descriptions. Only the
    /// due ones are sorted: the core asks on every pass of the decision loop, for every group,
    /// and usually nothing or one probe is due.
    mutating func due(at now: Instant) -> [ProbeTicket] {
        var tickets: [ProbeTicket] = []
        let ready = next.filter { $0.value <= now && outstanding[$0.key] == nil }.map(\.key)
        for target in ready.sorted(by: { $0.description < $1.description }) {
            sequence += 1
            outstanding[target] = Outstanding(sequence: sequence, deadline: now + timeout + timeout)
            next[target] = now + interval
            tickets.append(ProbeTicket(target: target, sequence: sequence))
        }
        return tickets
    }

    /// Accepts a result for the outstanding probe of its target; false for late or unknown ones.
    mutating func accept(_ ticket: ProbeTicket) -> Bool {
        guard outstanding[ticket.target]?.sequence == ticket.sequence else { return false }
        outstanding[ticket.target] = nil
        return true
    }

    /// Outstanding probes past their deadline, no longer outstanding.
    mutating func expired(at now: Instant) -> [ProbeTarget] {
        let late = outstanding.filter { $0.value.deadline <= now }.map(\.key).sorted { $0.description < $1.description }
        for target in late { outstanding[target] = nil }
        return late
    }

    /// The earliest instant something is due.
    var nextWakeUp: Instant? {
        (Array(next.values) + outstanding.values.map(\.deadline)).min()
    }
}
