/// Why a probe could not read an instance.
public struct ProbeFailure: Hashable, Sendable, CustomStringConvertible {
    public var kind: ProbeFailureKind
    /// The probe's own sentence naming what failed, kept for the log.
    public var message: String

    public init(kind: ProbeFailureKind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// True when the failure proves a server process runs there, so it must not count toward
    /// "down" (MHA's alive errors, failover-anchors.md §1.2).
    public var isProofOfLife: Bool { !kind.isDownEvidence }

    /// "connection refused (…)", "timed out (…)".
    public var description: String {
        message.isEmpty ? kind.clause : "\(kind.clause) (\(message))"
    }
}

/// The failure kinds the detector distinguishes (the Upstream module's classification).
public enum ProbeFailureKind: String, Hashable, Sendable, CaseIterable {
    /// TCP connection refused: nothing listens (the server process is gone).
    case refused
    /// No answer within the timeout: host down, partition, or a hung server (accepts TCP, never
    /// answers, e.g. SIGSTOP) — as useless to DM as a crashed one.
    case timedOut
    /// No route to the host, or the name did not resolve.
    case unreachable
    /// The server closed the connection mid-conversation (crash, shutdown).
    case connectionLost
    /// The server answered and rejected the user (access denied 1045, host not privileged 1130,
    /// missing privilege): alive.
    case authFailure
    /// The server answered with too many connections (1040), host blocked (1129) or a user
    /// limit (1203, 1226): alive, overloaded.
    case aliveError
    /// Anything else (TLS failure, an unexpected statement error, an unparsable answer):
    /// something answered, so it is not evidence of a dead server.
    case other

    /// True for the kinds that count as a failed probe toward "down".
    public var isDownEvidence: Bool {
        switch self {
        case .refused, .timedOut, .unreachable, .connectionLost: true
        case .authFailure, .aliveError, .other: false
        }
    }

    var clause: String {
        switch self {
        case .refused: "connection refused"
        case .timedOut: "timed out"
        case .unreachable: "unreachable"
        case .connectionLost: "connection lost"
        case .authFailure: "authentication refused"
        case .aliveError: "alive but refusing connections"
        case .other: "unexpected answer"
        }
    }
}
