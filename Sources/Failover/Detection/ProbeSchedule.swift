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

    /// The schedule for reloaded targets and cadence. Targets that stay keep their outstanding
    /// probe (so its answer is still accepted) and are not probed later than the new interval
    /// allows; new targets are due at once; the ticket sequence goes on, so a late answer from
    /// before the reload can never pass for a new probe.
    func reconfigured(targets: [ProbeTarget], interval: Duration, timeout: Duration, at now: Instant) -> ProbeSchedule {
        var schedule = ProbeSchedule(targets: [], interval: interval, timeout: timeout, at: now)
        schedule.sequence = sequence
        for target in targets {
            schedule.next[target] = next[target].map { min($0, now + interval) } ?? now
            if let out = outstanding[target] { schedule.outstanding[target] = out }
        }
        return schedule
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

    /// A probe of `target` now, ahead of its cadence, for an observation that begins after
    /// `now`. A probe of it still out is superseded: its answer will be ignored as late. Nil
    /// when the target is not scheduled.
    mutating func probeNow(_ target: ProbeTarget, at now: Instant) -> ProbeTicket? {
        guard next[target] != nil else { return nil }
        sequence += 1
        outstanding[target] = Outstanding(sequence: sequence, deadline: now + timeout + timeout)
        next[target] = now + interval
        return ProbeTicket(target: target, sequence: sequence)
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

    /// The earliest instant something is due: the next probe of a target without one
    /// outstanding, or an outstanding probe's deadline.
    ///
    /// A target whose probe is still out is not due again before that probe reports or times
    /// out (`due` skips it), so its `next` must not count: a probe slower than the interval
    /// (a hung server) would otherwise leave a past instant here and the shell would tick in a
    /// busy loop until the probe's deadline.
    var nextWakeUp: Instant? {
        let idle = next.filter { outstanding[$0.key] == nil }.map(\.value)
        return (idle + outstanding.values.map(\.deadline)).min()
    }
}
