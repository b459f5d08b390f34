import Foundation

/// Who dmswitch is when it talks to an instance, and how the channel is protected.
///
/// The password normally comes from a file (`init(user:passwordFile:tls:)`) so it
/// never appears in a configuration file, a process list or a log line;
/// `description` never shows it.
public struct MySQLCredentials: Equatable, Sendable, CustomStringConvertible {
    public var user: String
    public var password: String
    /// TLS settings; nil means a plain connection.
    public var tls: TLSOptions?

    public init(user: String, password: String, tls: TLSOptions? = nil) {
        self.user = user
        self.password = password
        self.tls = tls
    }

    /// Reads the password from `passwordFile`, stripping trailing line breaks
    /// (files written by `echo` or an editor end with one; passwords do not).
    public init(user: String, passwordFile: String, tls: TLSOptions? = nil) throws(CredentialsError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: passwordFile))
        } catch {
            throw CredentialsError(path: passwordFile, reason: "the file could not be read (\(error.localizedDescription))")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw CredentialsError(path: passwordFile, reason: "the file is not UTF-8 text")
        }
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" {
            text.removeLast()
        }
        if text.contains("\n") || text.contains("\0") {
            throw CredentialsError(path: passwordFile, reason: "the password spans several lines or contains a NUL byte")
        }
        self.init(user: user, password: text, tls: tls)
    }

    public var description: String {
        "user \(user)" + (tls == nil ? "" : " over TLS")
    }
}

/// A password file that could not be used.
public struct CredentialsError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String {
        "Could not read the password file \"\(path)\": \(reason)."
    }
}

/// TLS settings for connections to an instance (MariaDB Connector/C `MYSQL_OPT_SSL_*`).
public struct TLSOptions: Equatable, Sendable {
    /// PEM file of the certificate authorities that sign the server certificate.
    public var caFile: String?
    /// PEM client certificate, for servers that require X.509 client authentication.
    public var certFile: String?
    /// PEM private key of `certFile`.
    public var keyFile: String?
    /// Check that the server certificate is signed by `caFile` and names the host.
    public var verifyServerCertificate: Bool

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, verifyServerCertificate: Bool = true) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.verifyServerCertificate = verifyServerCertificate
    }
}
