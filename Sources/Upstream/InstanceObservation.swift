import GTID

/// What one probe saw of an instance at one instant: either its state, or why
/// it could not be read.
///
/// This is the single value the daemon maps into the failure detector's input;
/// field names follow the design vocabulary (gtid-E, gtid-P, server identity).
public struct InstanceObservation: Equatable, Sendable, CustomStringConvertible {
    /// The instance probed.
    public var instance: InstanceAddress
    /// When the probe started (monotonic clock).
    public var startedAt: ContinuousClock.Instant
    /// How long the probe took.
    public var duration: Duration
    /// The state read, or the failure.
    public var outcome: Outcome

    public init(instance: InstanceAddress, startedAt: ContinuousClock.Instant, duration: Duration, outcome: Outcome) {
        self.instance = instance
        self.startedAt = startedAt
        self.duration = duration
        self.outcome = outcome
    }

    /// Either the state of a reachable instance or the failure kind of an unreachable one.
    public enum Outcome: Equatable, Sendable {
        case reachable(InstanceState)
        case failed(ProbeFailure)
    }

    /// The instance's state when it was reachable.
    public var state: InstanceState? {
        if case .reachable(let state) = outcome { return state }
        return nil
    }

    /// The failure when it was not.
    public var failure: ProbeFailure? {
        if case .failed(let failure) = outcome { return failure }
        return nil
    }

    public var isReachable: Bool { state != nil }

    public var description: String {
        switch outcome {
        case .reachable(let state): "\(instance): \(state)"
        case .failed(let failure): "\(instance): \(failure.kind.rawValue): \(failure.message)"
        }
    }
}

/// Why a probe could not read an instance, and what that says about it.
public struct ProbeFailure: Equatable, Sendable {
    public var kind: ProbeFailureKind
    /// A full sentence naming what failed.
    public var message: String
    /// The client library's error, when the failure came from one.
    public var error: MySQLError?

    public init(kind: ProbeFailureKind, message: String, error: MySQLError? = nil) {
        self.kind = kind
        self.message = message
        self.error = error
    }

    /// Classifies a client-library error.
    public init(_ error: MySQLError) {
        let kind: ProbeFailureKind =
            switch error.kind {
            case .refused: .refused
            case .timedOut: .timedOut
            case .unreachable: .unreachable
            case .connectionLost: .connectionLost
            case .authFailure, .privilege: .authFailure
            case .aliveError: .aliveError
            case .tls, .server, .client: .other
            }
        self.init(kind: kind, message: error.description, error: error)
    }

    /// True when the failure counts toward "the instance is down" (a failed probe).
    public var isDownEvidence: Bool { kind.isDownEvidence }

    /// True when a server process answered (MHA's "alive" errors): not a failed probe.
    public var isAliveEvidence: Bool {
        switch kind {
        case .authFailure, .aliveError: true
        case .other: error?.kind.isAliveEvidence ?? false
        case .refused, .timedOut, .unreachable, .connectionLost: false
        }
    }
}

/// The failure kinds the failure detector distinguishes.
public enum ProbeFailureKind: String, Sendable, CaseIterable {
    /// TCP connection refused: no server listens (process killed, port closed).
    case refused
    /// No answer within the connect or read timeout or the probe deadline:
    /// host down, network partition, or a hung (e.g. SIGSTOPped) server that
    /// still accepts TCP connections in the kernel.
    case timedOut
    /// No route to the host or the name did not resolve.
    case unreachable
    /// The server closed the connection mid-conversation (crash, shutdown).
    case connectionLost
    /// The server answered and rejected the monitoring user or a statement for
    /// missing privileges (1045, 1130, 1227 …): alive, misconfigured.
    case authFailure
    /// The server answered with 1040 too many connections, 1129 host blocked,
    /// 1203/1226 user limits: alive, overloaded (MHA treats these as alive).
    case aliveError
    /// Anything else: TLS failure, an unexpected statement error, an answer
    /// that could not be parsed.
    case other

    /// True for the kinds that count as a failed probe toward "down".
    public var isDownEvidence: Bool {
        switch self {
        case .refused, .timedOut, .unreachable, .connectionLost: true
        case .authFailure, .aliveError, .other: false
        }
    }
}
