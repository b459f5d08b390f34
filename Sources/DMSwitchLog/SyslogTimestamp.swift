import Glibc

/// The timestamp of a local syslog line: `Mmm dd hh:mm:ss` in local time, as glibc writes it.
///
/// glibc formats it with `strftime("%h %e %T")` in the C locale: English month abbreviations and the
/// day padded with a space (`Nov  1`). journald only recognises exactly that shape; anything else is
/// stored with `SYSLOG_RAW=` and loses `SYSLOG_TIMESTAMP=`.
public struct SyslogTimestamp: Hashable, Sendable, CustomStringConvertible {
    /// 1…12
    public var month: Int
    /// 1…31
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// The local time at `epochSeconds` (the process time zone, like glibc's syslog).
    public init(localTimeAt epochSeconds: Int) {
        var t = time_t(epochSeconds)
        var parts = tm()
        localtime_r(&t, &parts)
        self.init(
            month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
            hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec))
    }

    /// The local time now.
    public static func now() -> SyslogTimestamp {
        SyslogTimestamp(localTimeAt: Int(time(nil)))
    }

    /// The C locale's `%h` abbreviations; never localised.
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Nov  1 09:05:07`: `%h %e %T`.
    public var description: String {
        let name = (1...12).contains(month) ? Self.monthNames[month - 1] : "Jan"
        let paddedDay = day < 10 ? " \(day)" : "\(day)"
        return "\(name) \(paddedDay) \(Self.twoDigits(hour)):\(Self.twoDigits(minute)):\(Self.twoDigits(second))"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
