/// The least important syslog priority dmswitchd writes (`[daemon] log-level`).
///
/// The names are syslog's (`journalctl -p` takes the same). The more urgent priorities are
/// always written, so the choice stops at `err`.
public enum LogLevel: String, CaseIterable, Hashable, Sendable {
    case err, warning, notice, info, debug
}
