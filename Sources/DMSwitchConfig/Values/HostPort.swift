import Glibc

/// A network address written `host:port`: a host name, an IPv4 address, or an IPv6 address in
/// brackets (`[::1]:3306`).
///
/// Validated on parsing, so a typo (a missing port, a space, a URL where an address belongs)
/// is found when the configuration is checked, not at the first connection attempt.
public struct HostPort: Hashable, Sendable, CustomStringConvertible {
    /// The host without brackets: `db1.example.com`, `10.0.0.1`, `::1`.
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses and validates `host:port`.
    public init(_ text: String) throws(ValueParseError) {
        let quoted = TOMLKey.quoted(text)
        func failure(_ reason: String) -> ValueParseError {
            ValueParseError(text: text, reason: reason)
        }
        let example = "write host:port, e.g. \"10.0.0.1:3306\""
        guard !text.isEmpty else { throw failure("the address is empty; \(example)") }
        if let character = text.unicodeScalars.first(where: { $0 == " " || $0 == "\t" || $0.value < 0x20 }) {
            throw failure("\(quoted) contains \(character == " " ? "a space" : "a control character"); \(example)")
        }
        if text.contains("://") {
            throw failure("\(quoted) is a URL, not an address; \(example)")
        }
        let hostText: String
        let portText: String
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw failure("\(quoted) has no ']' after the IPv6 address; write e.g. \"[::1]:3306\"")
            }
            hostText = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else {
                throw failure(rest.isEmpty ? "\(quoted) has no port; write e.g. \"[::1]:3306\"" : "\(quoted) is not a valid address; write e.g. \"[::1]:3306\"")
            }
            portText = String(rest.dropFirst())
            guard Self.isIPv6(hostText) else {
                throw failure("\(quoted) has an invalid IPv6 address \(TOMLKey.quoted(hostText))")
            }
        } else {
            let colons = text.filter { $0 == ":" }.count
            guard colons > 0 else { throw failure("\(quoted) has no port; \(example)") }
            guard colons == 1 else {
                throw failure("\(quoted) looks like an IPv6 address; write it in brackets, e.g. \"[::1]:3306\"")
            }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            hostText = String(parts[0])
            portText = String(parts[1])
            guard !hostText.isEmpty else { throw failure("\(quoted) has no host; \(example)") }
            if let reason = Self.hostNameProblem(hostText) {
                throw failure("\(quoted) has \(reason)")
            }
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
            let port = UInt16(portText), port > 0
        else {
            throw failure("the port \(TOMLKey.quoted(portText)) in \(quoted) must be a number from 1 to 65535")
        }
        self.init(host: hostText, port: port)
    }

    /// Whether the host is an IPv6 address (printed in brackets).
    public var isIPv6: Bool { host.contains(":") }

    /// `host:port`, with the host in brackets for IPv6, the form the address is parsed from.
    public var description: String {
        isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Why `host` is not a valid host name or IPv4 address (a noun phrase), or `nil` if it is.
    /// Names follow RFC 1123 labels; `_` is tolerated because resolvers accept it in practice.
    static func hostNameProblem(_ host: String) -> String? {
        let invalid = "an invalid host name \(TOMLKey.quoted(host))"
        if host.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            return isIPv4(host) ? nil : "an invalid IPv4 address \(TOMLKey.quoted(host))"
        }
        guard host.utf8.count <= 253 else { return invalid }
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-"),
                label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else { return invalid }
        }
        return nil
    }

    static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }
}
