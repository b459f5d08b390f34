/// The address of one instance of a group: `host:port`, as dmswitch and DM's source file name it.
///
/// Identity of an instance in the core is its configured address; the server identity
/// (`server_uuid`, MariaDB `domain-server_id`) is an observation that is checked, never assumed.
public struct InstanceAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Host first, then port: the stable tie-break of candidate ranking.
    public static func < (lhs: InstanceAddress, rhs: InstanceAddress) -> Bool {
        (lhs.host, lhs.port) < (rhs.host, rhs.port)
    }

    /// `host:port`; an IPv6 literal is bracketed (`[::1]:3306`) so the port stays unambiguous.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
