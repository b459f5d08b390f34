extension DMSwitchConfiguration.Daemon {
    /// `sun_path` holds 108 bytes on Linux, the terminating NUL included (unix(7)).
    static let maximumSocketPathBytes = 107

    /// Reads `[daemon]`; every key has a default.
    static func read(_ reader: inout TableReader) -> Self {
        let stateDirectory = reader.path("state-dir", default: "/var/lib/dmswitch")
        let controlSocket = reader.path(
            "control-socket", default: "/run/dmswitch/control.sock", maximumBytes: maximumSocketPathBytes)
        let controlGroup = readGroupName(&reader) ?? "dmswitch"
        let syslogSocket = reader.path("syslog-socket", default: "/dev/log", maximumBytes: maximumSocketPathBytes)
        let facility: SyslogFacility = reader.choice("syslog-facility") ?? .daemon
        let logLevel: LogLevel = reader.choice("log-level") ?? .info
        let nodeName = reader.name("node-name", maximumLength: 64)?.value ?? reader.context.hostName
        return Self(
            stateDirectory: stateDirectory, controlSocket: controlSocket, controlGroup: controlGroup,
            syslogSocket: syslogSocket, syslogFacility: facility, nodeName: nodeName, logLevel: logLevel)
    }

    /// A Unix group name: letters, digits, `_`, `.`, `-`, not starting with `-`, at most 32
    /// characters (the limit of shadow-utils' `groupadd`).
    private static func readGroupName(_ reader: inout TableReader) -> String? {
        let key = "control-group"
        guard let found = reader.name(key, maximumLength: 32) else { return nil }
        let valid = !found.value.hasPrefix("-")
            && found.value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
        guard valid else {
            reader.error(
                "\(reader.describe(key)) must be a group name (letters, digits, '_', '.' and '-'), "
                    + "found \(TOMLKey.quoted(found.value))",
                at: found.location, key: key)
            return nil
        }
        return found.value
    }
}
