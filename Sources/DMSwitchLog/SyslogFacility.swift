/// A syslog facility, chosen by name in the configuration (`log.facility = "daemon"`).
///
/// The codes are the unshifted numbers of RFC 5424 §6.2.1; `<PRI>` is `code * 8 + severity`
/// (glibc's `LOG_DAEMON` is already shifted: 24 = 3 << 3).
public enum SyslogFacility: Int32, CaseIterable, Sendable, CustomStringConvertible {
    case kern = 0, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp
    case local0 = 16, local1, local2, local3, local4, local5, local6, local7

    /// Parses a facility name as syslog.conf spells it (case-insensitive).
    public init(name: String) throws(UnknownFacilityError) {
        guard let match = Self.allCases.first(where: { $0.description == name.lowercased() }) else {
            throw UnknownFacilityError(name: name)
        }
        self = match
    }

    public var description: String {
        switch self {
        case .kern: "kern"
        case .user: "user"
        case .mail: "mail"
        case .daemon: "daemon"
        case .auth: "auth"
        case .syslog: "syslog"
        case .lpr: "lpr"
        case .news: "news"
        case .uucp: "uucp"
        case .cron: "cron"
        case .authpriv: "authpriv"
        case .ftp: "ftp"
        case .local0: "local0"
        case .local1: "local1"
        case .local2: "local2"
        case .local3: "local3"
        case .local4: "local4"
        case .local5: "local5"
        case .local6: "local6"
        case .local7: "local7"
        }
    }

    /// The `<PRI>` value of a message of `priority` in this facility.
    public func pri(_ priority: LogPriority) -> Int32 {
        rawValue * 8 + priority.rawValue
    }
}

/// A facility name that syslog does not know.
public struct UnknownFacilityError: Error, Equatable, Sendable, CustomStringConvertible {
    public let name: String

    public var description: String {
        let names = SyslogFacility.allCases.map(\.description).joined(separator: ", ")
        return "The syslog facility \"\(name)\" is unknown; use one of \(names)."
    }
}
