import Foundation

/// What TLS URLSession can do on Linux, checked before the first request.
///
/// swift-corelibs-foundation implements URLSession over libcurl. Its easy
/// handle leaves libcurl's CA bundle at the system default
/// (`/etc/ssl/certs/ca-certificates.crt` on Debian) and sets neither a
/// per-session CA nor a client certificate and key: `URLSessionConfiguration`
/// has no such settings, `URLCredential(identity:)` does not exist there, and
/// the only override (the `URLSessionCertificateAuthorityInfoFile` variable)
/// is compiled in for Android only. So:
/// - a custom CA works only once it is installed in the system trust store —
///   checked here, so that a missing install is a configuration error and not
///   a TLS failure at the first failover;
/// - client certificates cannot work at all — rejected here with a specific error.
/// Server verification itself is always on (it is never disabled).
public enum EtcdTLSCheck {
    /// The bundle libcurl reads on Debian (`curl-config --ca`).
    public static let systemTrustStore = "/etc/ssl/certs/ca-certificates.crt"

    static func validate(_ tls: EtcdTLSSettings, endpoints: [String], trustStore: String) throws(EtcdConfigurationError) {
        if tls.clientCertificateFile != nil || tls.clientKeyFile != nil {
            throw .clientCertificatesUnsupported(certificate: tls.clientCertificateFile, key: tls.clientKeyFile)
        }
        guard let authority = tls.certificateAuthorityFile else { return }
        if let plain = endpoints.first(where: { $0.lowercased().hasPrefix("http://") }) {
            throw .tlsSettingsWithoutHTTPS(endpoint: plain)
        }
        let wanted = try certificates(inFile: authority)
        guard !wanted.isEmpty else {
            throw .unreadableCertificateAuthority(path: authority, reason: "it holds no PEM certificate")
        }
        let trusted = Set((try? certificates(inFile: trustStore)) ?? [])
        guard wanted.allSatisfy(trusted.contains) else {
            throw .certificateAuthorityNotTrusted(path: authority, trustStore: trustStore)
        }
    }

    /// The DER bytes of each `BEGIN CERTIFICATE` block, so that the same
    /// certificate matches whatever its line wrapping or comments.
    static func certificates(inFile path: String) throws(EtcdConfigurationError) -> [Data] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableCertificateAuthority(path: path, reason: "it cannot be read as text (\(error.localizedDescription))")
        }
        return pemBlocks(in: text)
    }

    static func pemBlocks(in text: String) -> [Data] {
        var blocks: [Data] = []
        var current: String?
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "-----BEGIN CERTIFICATE-----" {
                current = ""
            } else if trimmed == "-----END CERTIFICATE-----" {
                if let body = current, let der = Data(base64Encoded: body) { blocks.append(der) }
                current = nil
            } else if current != nil {
                current? += trimmed
            }
        }
        return blocks
    }
}
