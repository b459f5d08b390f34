/// An etcd client URL, `http://host:port` or `https://host:port`.
///
/// Only the scheme and the address are accepted: etcd's client API lives at the root, so a
/// path would be a mistake worth reporting.
public struct EtcdEndpoint: Hashable, Sendable, CustomStringConvertible {
    public enum Scheme: String, Hashable, Sendable {
        case http, https
    }

    public var scheme: Scheme
    public var address: HostPort

    public init(scheme: Scheme, address: HostPort) {
        self.scheme = scheme
        self.address = address
    }

    /// Parses `http(s)://host:port`, with an optional trailing `/`.
    public init(_ text: String) throws(ValueParseError) {
        let quoted = TOMLKey.quoted(text)
        let usage = "write http://host:port or https://host:port, e.g. \"https://10.0.0.5:2379\""
        let found: Scheme
        var rest: Substring
        if text.hasPrefix("https://") {
            found = .https
            rest = text.dropFirst("https://".count)
        } else if text.hasPrefix("http://") {
            found = .http
            rest = text.dropFirst("http://".count)
        } else {
            throw ValueParseError(text: text, reason: "\(quoted) is not an etcd URL; \(usage)")
        }
        if rest.hasSuffix("/") {
            rest = rest.dropLast()
        }
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("@") else {
            throw ValueParseError(text: text, reason: "\(quoted) may not have a path, query or user; \(usage)")
        }
        do throws(ValueParseError) {
            self.init(scheme: found, address: try HostPort(String(rest)))
        } catch {
            throw ValueParseError(text: text, reason: "\(quoted) is not a valid etcd URL: \(error.reason)")
        }
    }

    /// `scheme://host:port`.
    public var description: String { "\(scheme.rawValue)://\(address)" }
}
