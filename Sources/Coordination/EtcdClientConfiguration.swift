import Foundation

/// How to reach etcd: the endpoints of one cluster, the timeout of each
/// request, and optional TLS (CA, client certificate) and user/password authentication.
///
/// Mirrors the `[coordination]` section of the daemon's configuration; the
/// daemon maps its fields here and calls `EtcdClient(configuration)`, which
/// validates everything before any request is sent.
public struct EtcdClientConfiguration: Sendable, Equatable {
    /// Client URLs of the members (`http://h:2379`, `https://h:2379`), tried in
    /// order starting from the last one that answered.
    public var endpoints: [String]
    /// How long one request to one endpoint may take. A call that fails over
    /// through every endpoint can take up to `endpoints.count` times this.
    public var requestTimeout: Duration
    /// User and password for etcd's authentication, if it is enabled.
    public var credentials: EtcdCredentials?
    /// TLS settings for `https` endpoints.
    public var tls: EtcdTLSSettings
    /// A watch that has seen no data (not even a progress notification) for
    /// this long is assumed dead and reopened; this bounds how long a watch
    /// on a hung (SIGSTOPped) member goes unnoticed.
    public var watchIdleTimeout: Duration

    public init(
        endpoints: [String],
        requestTimeout: Duration = .seconds(5),
        credentials: EtcdCredentials? = nil,
        tls: EtcdTLSSettings = EtcdTLSSettings(),
        watchIdleTimeout: Duration = .seconds(60)
    ) {
        self.endpoints = endpoints
        self.requestTimeout = requestTimeout
        self.credentials = credentials
        self.tls = tls
        self.watchIdleTimeout = watchIdleTimeout
    }
}

/// etcd's user/password authentication: `/v3/auth/authenticate` gives a
/// token that every later request carries in its `Authorization` header.
public struct EtcdCredentials: Sendable, Equatable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}

/// TLS for `https` endpoints. The server certificate is always verified:
/// against this CA file when given, else against the system trust store.
public struct EtcdTLSSettings: Sendable, Equatable {
    /// PEM file with the CA that signed etcd's server certificates.
    public var certificateAuthorityFile: String?
    /// PEM client certificate, for etcd's `--client-cert-auth`.
    public var clientCertificateFile: String?
    /// PEM key of the client certificate (unencrypted).
    public var clientKeyFile: String?

    public init(certificateAuthorityFile: String? = nil, clientCertificateFile: String? = nil, clientKeyFile: String? = nil) {
        self.certificateAuthorityFile = certificateAuthorityFile
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyFile = clientKeyFile
    }

    public var isEmpty: Bool {
        certificateAuthorityFile == nil && clientCertificateFile == nil && clientKeyFile == nil
    }
}

/// A configuration that cannot work, found before any request is sent.
public enum EtcdConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case noEndpoints
    case invalidEndpoint(String, reason: String)
    case invalidTimeout(String)
    case emptyUser
    /// Only one of the client certificate and its key is given.
    case incompleteClientCertificate(certificate: String?, key: String?)
    case unreadableFile(what: String, path: String)
    case tlsSettingsWithoutHTTPS(endpoint: String)

    public var description: String {
        switch self {
        case .noEndpoints:
            return "The etcd configuration lists no endpoints; give at least one client URL such as \"http://10.0.0.1:2379\"."
        case .invalidEndpoint(let endpoint, let reason):
            return "The etcd endpoint \"\(endpoint)\" is not usable: \(reason)."
        case .invalidTimeout(let what):
            return "The etcd \(what) must be longer than zero."
        case .emptyUser:
            return "The etcd user name is empty; give both a user and a password, or neither."
        case .incompleteClientCertificate(let certificate, let key):
            let given = certificate.map { "certificate \"\($0)\"" } ?? key.map { "key \"\($0)\"" } ?? "nothing"
            return "The etcd client certificate needs both a certificate and a key file; only the \(given) is given."
        case .unreadableFile(let what, let path):
            return "The etcd \(what) \"\(path)\" cannot be read."
        case .tlsSettingsWithoutHTTPS(let endpoint):
            return "The etcd endpoint \"\(endpoint)\" uses http although TLS settings are given; use https or drop the TLS settings."
        }
    }
}

/// A configuration that passed validation, with endpoints parsed once.
struct ValidatedEtcdConfiguration: Sendable {
    let endpoints: [String]
    let requestTimeout: Duration
    let credentials: EtcdCredentials?
    let tls: EtcdTLSSettings
    let watchIdleTimeout: Duration

    init(_ configuration: EtcdClientConfiguration) throws(EtcdConfigurationError) {
        guard !configuration.endpoints.isEmpty else { throw .noEndpoints }
        var endpoints: [String] = []
        for endpoint in configuration.endpoints {
            endpoints.append(try Self.normalized(endpoint))
        }
        guard configuration.requestTimeout > .zero else { throw .invalidTimeout("request timeout") }
        guard configuration.watchIdleTimeout > .zero else { throw .invalidTimeout("watch idle timeout") }
        if let credentials = configuration.credentials, credentials.user.isEmpty { throw .emptyUser }
        try Self.validate(configuration.tls, endpoints: endpoints)
        self.endpoints = endpoints
        self.tls = configuration.tls
        self.requestTimeout = configuration.requestTimeout
        self.credentials = configuration.credentials
        self.watchIdleTimeout = configuration.watchIdleTimeout
    }

    static func validate(_ tls: EtcdTLSSettings, endpoints: [String]) throws(EtcdConfigurationError) {
        guard !tls.isEmpty else { return }
        if let plain = endpoints.first(where: { $0.lowercased().hasPrefix("http://") }) {
            throw .tlsSettingsWithoutHTTPS(endpoint: plain)
        }
        if (tls.clientCertificateFile == nil) != (tls.clientKeyFile == nil) {
            throw .incompleteClientCertificate(certificate: tls.clientCertificateFile, key: tls.clientKeyFile)
        }
        let files = [("CA file", tls.certificateAuthorityFile), ("client certificate", tls.clientCertificateFile), ("client key", tls.clientKeyFile)]
        for case (let what, let path?) in files where !FileManager.default.isReadableFile(atPath: path) {
            throw .unreadableFile(what: what, path: path)
        }
    }

    /// `scheme://host:port` without a trailing slash; paths such as
    /// `/v3/kv/range` are appended to it.
    static func normalized(_ endpoint: String) throws(EtcdConfigurationError) -> String {
        var text = endpoint.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .invalidEndpoint(endpoint, reason: "it is not a URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw .invalidEndpoint(endpoint, reason: "the scheme must be http or https, not \"\(scheme)\"")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidEndpoint(endpoint, reason: "it names no host")
        }
        guard components.path.isEmpty, components.query == nil, components.fragment == nil else {
            throw .invalidEndpoint(endpoint, reason: "give only scheme, host and port, without a path")
        }
        guard components.user == nil, components.password == nil else {
            throw .invalidEndpoint(endpoint, reason: "put credentials in the user and password settings, not in the URL")
        }
        return text
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for Foundation APIs.
    var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
