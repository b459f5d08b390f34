/// Why one endpoint did not answer a request, kept so that an "unreachable"
/// error can say what happened at every endpoint that was tried.
public struct EndpointFailure: Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure made the client move on to the next endpoint.
    public enum Kind: String, Sendable, Equatable {
        /// The TCP connection could not be made or broke (refused, reset, no route).
        case connection
        /// No answer within the request timeout (a hung member, a lost network).
        case timeout
        /// The TLS handshake failed (untrusted or mismatching server certificate).
        case tls
        /// The member answered but cannot serve now (no leader, no quorum, etcd's own timeout).
        case unavailable
    }

    public let endpoint: String
    public let kind: Kind
    public let reason: String

    public init(endpoint: String, kind: Kind, reason: String) {
        self.endpoint = endpoint
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "\(endpoint): \(reason)" }
}

/// Everything that can go wrong when talking to etcd.
///
/// Each case names the operation and what failed, so the daemon can log the
/// description as is: `Could not range "/dmswitch/health" in etcd: …`.
public enum EtcdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No endpoint answered: each one refused, timed out, failed TLS or had no quorum.
    case unreachable(operation: String, failures: [EndpointFailure])
    /// etcd answered with an error of its own (gRPC code and message).
    case server(operation: String, endpoint: String, code: Int, message: String)
    /// The user name or password was rejected, or authentication is needed but not configured.
    case authenticationFailed(user: String?, message: String)
    /// A fenced write was refused because this daemon no longer holds the group.
    case fenced(group: String, detail: String)
    /// A fenced operation was asked for a group this daemon has not acquired.
    case notHeld(group: String)
    /// The gateway's answer could not be understood.
    case malformedResponse(operation: String, endpoint: String, detail: String)
    /// A group name or key prefix cannot be used in the key layout.
    case invalidName(what: String, name: String, reason: String)
    /// An append kept finding its sequence number taken by another writer.
    case sequenceConflict(group: String, attempts: Int)
    /// A compare-and-swap update kept finding the key changed by another writer.
    case updateConflict(key: String, attempts: Int)
    /// A watch was canceled by etcd (compaction, permission, invalid token).
    case watchCanceled(key: String, reason: String)

    public var description: String {
        switch self {
        case .unreachable(let operation, let failures):
            let detail = failures.isEmpty ? "no endpoint was tried" : failures.map(\.description).joined(separator: "; ")
            return "Could not \(operation) in etcd: no endpoint answered with quorum (\(detail))."
        case .server(let operation, let endpoint, let code, let message):
            return "Could not \(operation) in etcd: \(endpoint) answered \"\(message)\" (gRPC code \(code))."
        case .authenticationFailed(let user, let message):
            if let user {
                return "Could not authenticate to etcd as user \"\(user)\": \(message)."
            }
            return "Could not use etcd: it requires authentication but no user and password are configured (\(message))."
        case .fenced(let group, let detail):
            return "Refused to write for group \"\(group)\": this daemon no longer holds the group's lease (\(detail))."
        case .notHeld(let group):
            return "Refused to write for group \"\(group)\": this daemon has not acquired the group's lease."
        case .malformedResponse(let operation, let endpoint, let detail):
            return "Could not \(operation) in etcd: the answer from \(endpoint) could not be read (\(detail))."
        case .invalidName(let what, let name, let reason):
            return "The \(what) \"\(name)\" cannot be used as an etcd key part: \(reason)."
        case .sequenceConflict(let group, let attempts):
            return "Could not append to the journal of group \"\(group)\": another writer took the next sequence number \(attempts) times in a row."
        case .updateConflict(let key, let attempts):
            return "Could not update \"\(key)\" in etcd: another writer changed it first \(attempts) times in a row."
        case .watchCanceled(let key, let reason):
            return "etcd canceled the watch on \"\(key)\": \(reason)."
        }
    }

    /// True when the failure says "etcd is not usable now" rather than
    /// "this request was wrong": the daemon must not start a run.
    public var isAvailabilityProblem: Bool {
        switch self {
        case .unreachable: true
        case .server(_, _, let code, _): code == GRPCCode.unavailable || code == GRPCCode.deadlineExceeded
        default: false
        }
    }
}

/// The gRPC status codes etcd's gateway reports in its `code` field
/// (grpc/codes; etcd's api/v3rpc/rpctypes maps its errors onto them).
enum GRPCCode {
    static let invalidArgument = 3
    static let deadlineExceeded = 4
    static let notFound = 5
    static let failedPrecondition = 9
    static let unavailable = 14
    static let unauthenticated = 16
}
