/// Builds the bytes of one local syslog datagram exactly as glibc's `syslog(3)` sends them.
///
/// Format: `<PRI>Mmm dd hh:mm:ss TAG[PID]: MESSAGE`, no hostname (a hostname would be parsed by
/// journald as the identifier), no trailing newline (journald strips it anyway). The message is
/// one line already; see `LogLine`.
public enum SyslogDatagram {
    /// The largest message sent, in bytes. Classic syslog daemons truncate at 8 KiB (rsyslog's
    /// default `$MaxMessageSize`), so a longer decision line is cut here, visibly, instead.
    public static let maximumMessageBytes = 8 * 1024

    /// The marker appended to a message that was cut at `maximumMessageBytes`.
    public static let truncationMarker = " …(truncated)"

    /// The datagram for `message` with priority `pri` (facility * 8 + severity).
    public static func bytes(
        pri: Int32, timestamp: SyslogTimestamp, identifier: String, pid: Int32, message: String
    ) -> [UInt8] {
        var out = Array("<\(pri)>\(timestamp) \(identifier)[\(pid)]: ".utf8)
        out.append(contentsOf: truncated(message))
        return out
    }

    /// The UTF-8 bytes of `message`, cut on a character boundary when too long.
    static func truncated(_ message: String) -> [UInt8] {
        let utf8 = Array(message.utf8)
        guard utf8.count > maximumMessageBytes else { return utf8 }
        let marker = Array(truncationMarker.utf8)
        var cut = maximumMessageBytes - marker.count
        // Back up over UTF-8 continuation bytes (10xxxxxx) so no character is split.
        while cut > 0 && utf8[cut] & 0xC0 == 0x80 { cut -= 1 }
        return Array(utf8[..<cut]) + marker
    }
}
