/// How long a connection may wait for a server, per phase.
///
/// libmariadb takes these in whole seconds (`MYSQL_OPT_CONNECT_TIMEOUT`,
/// `MYSQL_OPT_READ_TIMEOUT`, `MYSQL_OPT_WRITE_TIMEOUT` are `unsigned int`
/// seconds), so each value is rounded up to a whole second, at least one.
/// The connect timeout also bounds every read of the handshake (Connector/C
/// applies it as the read timeout until the connection is established), and
/// the read timeout bounds each wait for a packet of an answer. Older client
/// libraries (MySQL's libmysqlclient before 5.7) retried a timed-out read up to
/// three times; MariaDB Connector/C 3.x waits once. The prober does not rely on
/// either: it enforces its own deadline per probe (`ProbeOptions.deadline`).
public struct ConnectionTimeouts: Equatable, Sendable {
    public var connect: Duration
    public var read: Duration
    public var write: Duration

    public init(connect: Duration = .seconds(2), read: Duration = .seconds(2), write: Duration = .seconds(2)) {
        self.connect = connect
        self.read = read
        self.write = write
    }

    /// The values libmariadb is given: whole seconds, rounded up, at least 1.
    var connectSeconds: UInt32 { Self.wholeSeconds(connect) }
    var readSeconds: UInt32 { Self.wholeSeconds(read) }
    var writeSeconds: UInt32 { Self.wholeSeconds(write) }

    /// The effective connect timeout after rounding to the library's granularity.
    public var effectiveConnect: Duration { .seconds(Int(connectSeconds)) }
    /// The effective read timeout after rounding to the library's granularity.
    public var effectiveRead: Duration { .seconds(Int(readSeconds)) }

    static func wholeSeconds(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        if seconds < 1 { return 1 }
        let rounded = attoseconds > 0 ? seconds + 1 : seconds
        return UInt32(clamping: rounded)
    }
}

/// Where an instance listens: a host name or address and a TCP port.
public struct InstanceAddress: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (`[v6addr]:port` for IPv6 literals).
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        guard let port = UInt16(text[text.index(after: colon)...]), port > 0 else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public static func < (lhs: InstanceAddress, rhs: InstanceAddress) -> Bool {
        (lhs.host, lhs.port) < (rhs.host, rhs.port)
    }
}
