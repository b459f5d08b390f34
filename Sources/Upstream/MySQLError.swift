/// A failed conversation with a MySQL or MariaDB server, as the client library reported it.
///
/// Carries the server's or client library's error number, SQLSTATE and message,
/// what dmswitch was doing, and a classification (`Kind`) that the failure
/// detector needs: a refused or timed-out connection is evidence that an
/// instance is down, while "too many connections" or "access denied" prove the
/// server is alive (MHA's "alive errors").
public struct MySQLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The MySQL/MariaDB error number (server errors below 2000, client errors 2000–2999).
    public var errno: UInt32
    /// The five-character SQLSTATE (`HY000` when the client library has none).
    public var sqlstate: String
    /// The message from the server or the client library.
    public var message: String
    /// What was being attempted, as a phrase: `connect to 127.0.0.1:3306`.
    public var operation: String
    /// What the failure says about the instance.
    public var kind: Kind

    public init(errno: UInt32, sqlstate: String, message: String, operation: String, kind: Kind) {
        self.errno = errno
        self.sqlstate = sqlstate
        self.message = message
        self.operation = operation
        self.kind = kind
    }

    /// What a failure says about the instance on the other end.
    public enum Kind: String, Sendable, CaseIterable {
        /// Nothing listens on the port (TCP connection refused): the server process is gone.
        case refused
        /// No answer within the connect, read or write timeout: host down or server hung.
        case timedOut
        /// No route to the host or network unreachable.
        case unreachable
        /// An established connection was closed by the peer before the answer arrived.
        case connectionLost
        /// The server answered and rejected the credentials (1045 and relatives).
        case authFailure
        /// The server answered and refused the statement for a missing privilege.
        case privilege
        /// The server answered with a load or limit error: 1040 too many connections,
        /// 1129 host blocked, 1203/1226 user limits. The server is alive.
        case aliveError
        /// The TLS handshake or the server certificate verification failed.
        case tls
        /// The server executed the statement and reported an error (syntax, unknown table, …).
        case server
        /// The client library failed before reaching a server (bad option, out of memory, bad input).
        case client

        /// True when the failure is evidence that the instance is not serving:
        /// the detector counts these as failed probes.
        public var isDownEvidence: Bool {
            switch self {
            case .refused, .timedOut, .unreachable, .connectionLost: true
            case .authFailure, .privilege, .aliveError, .tls, .server, .client: false
            }
        }

        /// True when the failure proves a server process answered (MHA's "alive" errors).
        public var isAliveEvidence: Bool {
            switch self {
            case .authFailure, .privilege, .aliveError, .server: true
            case .refused, .timedOut, .unreachable, .connectionLost, .tls, .client: false
            }
        }
    }

    public var description: String {
        let trimmed = message.hasSuffix(".") ? String(message.dropLast()) : message
        return "Could not \(operation): \(trimmed) (error \(errno), SQLSTATE \(sqlstate), \(kind.phrase))."
    }
}

extension MySQLError.Kind {
    /// A short phrase for messages.
    var phrase: String {
        switch self {
        case .refused: "connection refused"
        case .timedOut: "timed out"
        case .unreachable: "host unreachable"
        case .connectionLost: "connection lost"
        case .authFailure: "authentication failed"
        case .privilege: "missing privilege"
        case .aliveError: "server alive but refusing work"
        case .tls: "TLS failure"
        case .server: "server error"
        case .client: "client error"
        }
    }
}
