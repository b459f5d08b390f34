import Foundation
import Synchronization

/// Posts gateway requests, failing over between endpoints and keeping the
/// authentication token.
///
/// Blocking: runs on the calling thread (libcurl's easy interface). Each
/// attempt is bounded by the request timeout, so a hung member costs at
/// most one timeout before the next endpoint is tried.
///
/// Failover rules: a connection error, a timeout, a TLS failure or a
/// "cannot serve now" answer (gRPC Unavailable: no leader, no quorum,
/// etcd's own request timeout; HTTP 5xx) moves on to the next endpoint; any
/// other answer from etcd is final. The endpoint that answered last is
/// tried first next time.
final class EtcdTransport: Sendable {
    let configuration: ValidatedEtcdConfiguration
    private let preferredEndpoint = Mutex<Int>(0)
    /// nil: not authenticated yet; "": the cluster has no authentication.
    private let token = Mutex<String?>(nil)

    init(configuration: ValidatedEtcdConfiguration) {
        self.configuration = configuration
    }

    /// The endpoint tried first by the next call (the last one that answered).
    var preferredEndpointURL: String {
        configuration.endpoints[preferredEndpoint.withLock { $0 }]
    }

    var currentToken: String? { token.withLock { $0 } }

    /// Forgets the token, e.g. after a watch was canceled for an invalid one.
    func invalidateToken() {
        token.withLock { $0 = nil }
    }

    /// The headers every request carries (the token, when there is one).
    var authorizationHeaders: [String] {
        guard let token = currentToken, !token.isEmpty else { return [] }
        return ["Authorization: \(token)"]
    }

    /// Sends `request`, authenticating first when needed.
    func call<Response>(_ request: EtcdRequest<Response>) throws(EtcdError) -> Response {
        var mayReauthenticate = true
        if request.authenticated, let credentials = configuration.credentials, currentToken == nil {
            try authenticate(credentials)
            mayReauthenticate = false
        }
        var failures: [EndpointFailure] = []
        var order = endpointOrder()[...]
        while let index = order.first {
            let endpoint = configuration.endpoints[index]
            switch exchange(request, endpoint: endpoint) {
            case .answer(let body):
                let response = try request.decode(body, endpoint)
                preferredEndpoint.withLock { $0 = index }
                return response
            case .endpointFailed(let failure):
                failures.append(failure)
                order = order.dropFirst()
            case .etcdError(let code, let message):
                if code == GRPCCode.unavailable {
                    failures.append(EndpointFailure(endpoint: endpoint, kind: .unavailable, reason: Self.etcdMessage(message)))
                    order = order.dropFirst()
                    continue
                }
                guard request.authenticated, Self.isTokenProblem(code: code, message: message) else {
                    throw .server(operation: request.operation, endpoint: endpoint, code: code, message: Self.etcdMessage(message))
                }
                guard let credentials = configuration.credentials else {
                    throw .authenticationFailed(user: nil, message: Self.etcdMessage(message))
                }
                guard mayReauthenticate else {
                    throw .authenticationFailed(user: credentials.user, message: Self.etcdMessage(message))
                }
                // Tokens expire (simple tokens after 5 idle minutes) and die when
                // authentication is toggled: get a fresh one, retry here once.
                mayReauthenticate = false
                invalidateToken()
                try authenticate(credentials)
            }
        }
        throw .unreachable(operation: request.operation, failures: failures)
    }

    private func endpointOrder() -> [Int] {
        let count = configuration.endpoints.count
        let first = preferredEndpoint.withLock { $0 }
        return (0..<count).map { (first + $0) % count }
    }

    private func authenticate(_ credentials: EtcdCredentials) throws(EtcdError) {
        do {
            let newToken = try call(EtcdCall.authenticate(credentials))
            token.withLock { $0 = newToken }
        } catch .server(_, _, _, let message) where message.contains("authentication is not enabled") {
            // Credentials configured for a cluster without authentication:
            // go on without a token.
            token.withLock { $0 = "" }
        } catch .server(_, _, let code, let message) where code == GRPCCode.invalidArgument || code == GRPCCode.failedPrecondition {
            throw .authenticationFailed(user: credentials.user, message: message)
        }
    }

    enum ExchangeOutcome {
        case answer(Data)
        case endpointFailed(EndpointFailure)
        case etcdError(code: Int, message: String)
    }

    /// One HTTP POST to one endpoint, bounded by the request's timeout.
    private func exchange<Response>(_ request: EtcdRequest<Response>, endpoint: String) -> ExchangeOutcome {
        let timeout = request.timeout ?? configuration.requestTimeout
        let transfer = CurlTransfer(
            url: endpoint + request.path,
            body: request.body,
            headers: request.authenticated ? authorizationHeaders : [],
            timeout: timeout,
            connectTimeout: timeout,
            idleTimeout: nil,
            tls: configuration.tls
        )
        switch transfer.perform() {
        case .failed(let failure):
            let reason = failure.kind == .timeout ? "no answer within \(timeout)" : failure.message
            return .endpointFailed(EndpointFailure(endpoint: endpoint, kind: failure.kind, reason: reason))
        case .response(let status, let body):
            if let problem = Self.errorBody(body) {
                return .etcdError(code: problem.code, message: problem.message)
            }
            guard status == 200 else {
                let excerpt = String(decoding: body.prefix(200), as: UTF8.self)
                let kind: EndpointFailure.Kind = (500...599).contains(status) ? .unavailable : .connection
                return .endpointFailed(EndpointFailure(endpoint: endpoint, kind: kind, reason: "HTTP status \(status) (\"\(excerpt)\")"))
            }
            return .answer(body)
        }
    }

    /// The gateway's error shapes: `{"error": "...", "code": N, "message": "..."}`
    /// for unary calls and `{"error": {"grpc_code": N, "message": "..."}}` inside streams.
    static func errorBody(_ body: Data) -> (code: Int, message: String)? {
        let firstLine = body.split(separator: UInt8(ascii: "\n")).first.map { Data($0) } ?? body
        if let unary = try? JSONDecoder().decode(WireError.self, from: firstLine), let code = unary.code,
           let message = unary.error ?? unary.message {
            return (code, message)
        }
        struct StreamEnvelope: Decodable { var error: WireStreamError? }
        if let stream = try? JSONDecoder().decode(StreamEnvelope.self, from: firstLine), let error = stream.error {
            return (error.grpc_code ?? 0, error.message ?? "unknown error")
        }
        return nil
    }

    static func isTokenProblem(code: Int, message: String) -> Bool {
        code == GRPCCode.unauthenticated
            || message.contains("invalid auth token")
            || message.contains("user name is empty")
    }

    /// etcd prefixes its messages with "etcdserver: "; the errors say "etcd" already.
    static func etcdMessage(_ message: String) -> String {
        message.hasPrefix("etcdserver: ") ? String(message.dropFirst("etcdserver: ".count)) : message
    }
}
