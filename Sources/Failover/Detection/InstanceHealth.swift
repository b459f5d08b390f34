/// One instance's health as seen from dmswitchd, from its recent probes.
///
/// Legal transitions (each probe result moves at most one step along a row):
/// `unknown → healthy | alive | suspect`; `healthy | alive → suspect` (a failure);
/// `suspect → suspect → down` (N consecutive failures); any state `→ healthy | alive` on an
/// answer. Proof-of-life errors (`alive`) reset the failure count: the server runs.
public enum InstanceHealth: Hashable, Sendable {
    /// Not probed yet.
    case unknown
    /// Answered the last probe.
    case healthy
    /// Refused the last probe with an error that proves it runs (too many connections, …).
    case alive(ProbeFailure)
    /// Failed the last `failures` probes, fewer than N.
    case suspect(failures: Int, last: ProbeFailure)
    /// Failed at least N probes in a row.
    case down(failures: Int, last: ProbeFailure)

    /// True when the last probe reached a running server (an answer or a proof-of-life error).
    public var isReached: Bool {
        switch self {
        case .healthy, .alive: true
        case .unknown, .suspect, .down: false
        }
    }

    /// A stable clause for status lines and candidate verdicts: "answers",
    /// "failed 2 probes in a row (connection refused)".
    public var clause: String {
        switch self {
        case .unknown: "has not been probed yet"
        case .healthy: "answers"
        case .alive(let failure): "is alive but refuses the probe: \(failure)"
        case .suspect(let failures, let last), .down(let failures, let last):
            "failed \(failures) \(failures == 1 ? "probe" : "probes") in a row: \(last)"
        }
    }
}

/// What the detector remembers of one instance.
public struct InstanceRecord: Hashable, Sendable {
    /// Completed probes (answers and failures), for the startup grace.
    public internal(set) var probes = 0
    /// Failures in a row that are not proof of life.
    public internal(set) var consecutiveFailures = 0
    public internal(set) var latest: InstanceObservation?
    public internal(set) var latestAt: Instant?
    /// The last state the instance answered with; kept across failures so the server identity
    /// of a dead upstream is still known.
    public internal(set) var lastAnswer: InstanceState?

    public init() {}
}
