import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// Posts gateway requests with URLSession, failing over between endpoints
/// and keeping the authentication token.
///
/// Everything here is callback-based and never blocks a thread: URLSession
/// calls back on its own delegate queue, and a timer cancels an attempt
/// that outlives its timeout, so a hung member costs at most one timeout
/// even if libcurl's own timers do not fire. `EtcdClient` builds the
/// blocking and async APIs on top.
///
/// Failover rules: a connection error, a timeout, a TLS failure or a
/// "cannot serve now" answer (gRPC Unavailable: no leader, no quorum,
/// etcd's own request timeout) moves on to the next endpoint; any other
/// answer from etcd is final. The endpoint that answered last is tried
/// first next time.
final class EtcdTransport: Sendable {
    let configuration: ValidatedEtcdConfiguration
    private let session: URLSession
    private let preferredEndpoint = Mutex<Int>(0)
    private let token = Mutex<String?>(nil)

    init(configuration: ValidatedEtcdConfiguration) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        // Our own timer bounds each attempt; these only keep libcurl from
        // giving up earlier than asked for.
        sessionConfiguration.timeoutIntervalForRequest = 3600
        sessionConfiguration.timeoutIntervalForResource = 3600
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.urlCache = nil
        sessionConfiguration.httpShouldSetCookies = false
        session = URLSession(configuration: sessionConfiguration)
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// The endpoint tried first by the next call (the last one that answered).
    var preferredEndpointURL: String {
        configuration.endpoints[preferredEndpoint.withLock { $0 }]
    }

    /// The current token, if authentication is configured and done.
    var currentToken: String? { token.withLock { $0 } }

    /// Forgets the token, e.g. after a watch was canceled for an invalid one.
    func invalidateToken() {
        token.withLock { $0 = nil }
    }

    /// Sends `request`, authenticating first when needed; calls `completion` exactly once.
    func call<Response>(_ request: EtcdRequest<Response>, completion: @escaping @Sendable (Result<Response, EtcdError>) -> Void) {
        if request.authenticated, let credentials = configuration.credentials, currentToken == nil {
            authenticate(credentials) { failure in
                if let failure { return completion(.failure(failure)) }
                self.attempt(request, order: self.endpointOrder(), position: 0, failures: [], mayReauthenticate: false, completion: completion)
            }
            return
        }
        attempt(request, order: endpointOrder(), position: 0, failures: [], mayReauthenticate: true, completion: completion)
    }

    private func endpointOrder() -> [Int] {
        let count = configuration.endpoints.count
        let first = preferredEndpoint.withLock { $0 }
        return (0..<count).map { (first + $0) % count }
    }

    private func authenticate(_ credentials: EtcdCredentials, completion: @escaping @Sendable (EtcdError?) -> Void) {
        let request = EtcdCall.authenticate(credentials)
        attempt(request, order: endpointOrder(), position: 0, failures: [], mayReauthenticate: false) { result in
            switch result {
            case .success(let newToken):
                self.token.withLock { $0 = newToken }
                completion(nil)
            case .failure(.server(_, _, _, let message)) where message.contains("authentication is not enabled"):
                // Credentials configured for a cluster without auth: go on
                // without a token (an empty one is never sent).
                self.token.withLock { $0 = "" }
                completion(nil)
            case .failure(.server(_, _, let code, let message)) where code == GRPCCode.invalidArgument || code == GRPCCode.failedPrecondition:
                completion(.authenticationFailed(user: credentials.user, message: Self.etcdMessage(message)))
            case .failure(let error):
                completion(error)
            }
        }
    }

    private func attempt<Response>(
        _ request: EtcdRequest<Response>,
        order: [Int],
        position: Int,
        failures: [EndpointFailure],
        mayReauthenticate: Bool,
        completion: @escaping @Sendable (Result<Response, EtcdError>) -> Void
    ) {
        guard position < order.count else {
            return completion(.failure(.unreachable(operation: request.operation, failures: failures)))
        }
        let index = order[position]
        let endpoint = configuration.endpoints[index]
        exchange(request, endpoint: endpoint) { outcome in
            switch outcome {
            case .answer(let body):
                do throws(EtcdError) {
                    let response = try request.decode(body, endpoint)
                    self.preferredEndpoint.withLock { $0 = index }
                    completion(.success(response))
                } catch {
                    completion(.failure(error))
                }
            case .endpointFailed(let failure):
                self.attempt(request, order: order, position: position + 1, failures: failures + [failure],
                             mayReauthenticate: mayReauthenticate, completion: completion)
            case .etcdError(let code, let message):
                if code == GRPCCode.unavailable {
                    let failure = EndpointFailure(endpoint: endpoint, kind: .unavailable, reason: Self.etcdMessage(message))
                    return self.attempt(request, order: order, position: position + 1, failures: failures + [failure],
                                        mayReauthenticate: mayReauthenticate, completion: completion)
                }
                if request.authenticated, Self.isTokenProblem(code: code, message: message) {
                    guard let credentials = self.configuration.credentials else {
                        return completion(.failure(.authenticationFailed(user: nil, message: Self.etcdMessage(message))))
                    }
                    guard mayReauthenticate else {
                        return completion(.failure(.authenticationFailed(user: credentials.user, message: Self.etcdMessage(message))))
                    }
                    // Tokens expire (simple tokens after 5 minutes idle) and die when
                    // auth is toggled; get a fresh one and retry here once.
                    self.invalidateToken()
                    return self.authenticate(credentials) { failure in
                        if let failure { return completion(.failure(failure)) }
                        self.attempt(request, order: order, position: position, failures: failures,
                                     mayReauthenticate: false, completion: completion)
                    }
                }
                completion(.failure(.server(operation: request.operation, endpoint: endpoint, code: code, message: Self.etcdMessage(message))))
            }
        }
    }

    enum ExchangeOutcome: Sendable {
        case answer(Data)
        case endpointFailed(EndpointFailure)
        case etcdError(code: Int, message: String)
    }

    /// One HTTP POST to one endpoint, bounded by the request's timeout.
    private func exchange<Response>(_ request: EtcdRequest<Response>, endpoint: String, completion: @escaping @Sendable (ExchangeOutcome) -> Void) {
        let timeout = request.timeout ?? configuration.requestTimeout
        guard let url = URL(string: endpoint + request.path) else {
            return completion(.endpointFailed(EndpointFailure(endpoint: endpoint, kind: .connection, reason: "the URL \(endpoint + request.path) is invalid")))
        }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout.timeInterval)
        urlRequest.httpMethod = "POST"
        urlRequest.httpBody = request.body
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if request.authenticated, let token = currentToken, !token.isEmpty {
            urlRequest.setValue(token, forHTTPHeaderField: "Authorization")
        }
        let timedOut = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
        let task = session.dataTask(with: urlRequest) { data, response, error in
            guard !finished.exchange(true, ordering: .acquiringAndReleasing) else { return }
            if let error {
                let failure = Self.classify(error, endpoint: endpoint, timedOut: timedOut.load(ordering: .acquiring), timeout: timeout)
                return completion(.endpointFailed(failure))
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let body = data ?? Data()
            if let problem = Self.errorBody(body) {
                return completion(.etcdError(code: problem.code, message: problem.message))
            }
            guard status == 200 else {
                let excerpt = String(decoding: body.prefix(200), as: UTF8.self)
                let kind: EndpointFailure.Kind = (500...599).contains(status) ? .unavailable : .connection
                return completion(.endpointFailed(EndpointFailure(endpoint: endpoint, kind: kind, reason: "HTTP status \(status) (\"\(excerpt)\")")))
            }
            completion(.answer(body))
        }
        task.resume()
        // Bounds the attempt even when libcurl's timer does not fire.
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout.timeInterval) {
            guard !finished.load(ordering: .acquiring) else { return }
            timedOut.store(true, ordering: .releasing)
            task.cancel()
            // If the cancellation never calls back, answer anyway a moment later.
            DispatchQueue.global().asyncAfter(deadline: .now() + 1) {
                guard !finished.exchange(true, ordering: .acquiringAndReleasing) else { return }
                completion(.endpointFailed(EndpointFailure(endpoint: endpoint, kind: .timeout, reason: "no answer within \(timeout)")))
            }
        }
    }

    static func classify(_ error: Error, endpoint: String, timedOut: Bool, timeout: Duration) -> EndpointFailure {
        if timedOut {
            return EndpointFailure(endpoint: endpoint, kind: .timeout, reason: "no answer within \(timeout)")
        }
        let reason = (error as NSError).localizedDescription
        guard let urlError = error as? URLError else {
            return EndpointFailure(endpoint: endpoint, kind: .connection, reason: reason)
        }
        switch urlError.code {
        case .timedOut:
            return EndpointFailure(endpoint: endpoint, kind: .timeout, reason: "no answer within \(timeout)")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .clientCertificateRequired:
            return EndpointFailure(endpoint: endpoint, kind: .tls, reason: "TLS failed (\(reason))")
        case .cannotConnectToHost:
            return EndpointFailure(endpoint: endpoint, kind: .connection, reason: "connection refused or impossible (\(reason))")
        default:
            return EndpointFailure(endpoint: endpoint, kind: .connection, reason: reason)
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

    // MARK: Streams (watch)

    /// A request to the preferred endpoint for a long-lived stream, with the
    /// current token; the watch reconnects through `call` when it fails.
    func streamRequest(path: String, body: Data) -> (URLRequest, String)? {
        let endpoint = preferredEndpointURL
        guard let url = URL(string: endpoint + path) else { return nil }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 86_400 * 365)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token = currentToken, !token.isEmpty { request.setValue(token, forHTTPHeaderField: "Authorization") }
        return (request, endpoint)
    }
}
