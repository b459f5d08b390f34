/// The syslog facility dmswitchd logs under, by its name in syslog.conf.
///
/// `code` is the facility already shifted as `<syslog.h>` defines it (`LOG_DAEMON` = 3 << 3),
/// ready to be or-ed with a priority.
public enum SyslogFacility: String, CaseIterable, Hashable, Sendable {
    case kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp
    case local0, local1, local2, local3, local4, local5, local6, local7

    /// The facility number of RFC 5424 §6.2.1 (kern 0 … ftp 11, local0 16 … local7 23).
    public var number: Int32 {
        switch self {
        case .kern: 0
        case .user: 1
        case .mail: 2
        case .daemon: 3
        case .auth: 4
        case .syslog: 5
        case .lpr: 6
        case .news: 7
        case .uucp: 8
        case .cron: 9
        case .authpriv: 10
        case .ftp: 11
        case .local0: 16
        case .local1: 17
        case .local2: 18
        case .local3: 19
        case .local4: 20
        case .local5: 21
        case .local6: 22
        case .local7: 23
        }
    }

    /// `number << 3`, the value of the `LOG_*` facility constant.
    public var code: Int32 { number << 3 }
}
