@testable import DMSwitchConfig

/// A small valid configuration in parts, so a test can put its own lines first (and so
/// its expected line numbers are those of its own text) and replace the parts it changes.
enum ConfigFixture {
    enum Part: Hashable, Sendable {
        case dm, mysql, group
    }

    static let file = "t.toml"
    static let hostName = "test-host"

    static let dm = """
        [dm]
        master-addr = ["10.0.0.1:8261"]
        """

    static let mysql = """
        [mysql]
        user = "dmswitch"
        password-file = ""
        """

    static let group = """
        [[group]]
        source-id = "orders"
        scenario = "vip"
        vip = "10.0.0.100:3306"
        vip-move-command = ["/usr/local/sbin/move-vip"]

        [[group.instance]]
        address = "10.0.0.1:3306"

        [[group.instance]]
        address = "10.0.0.2:3306"
        """

    /// `snippet`, then the parts of the fixture it does not replace.
    static func text(_ snippet: String, replacing replaced: Set<Part> = []) -> String {
        var parts = [snippet]
        if !replaced.contains(.dm) { parts.append(dm) }
        if !replaced.contains(.mysql) { parts.append(mysql) }
        if !replaced.contains(.group) { parts.append(group) }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// Validates `text` as `t.toml` without looking at the disk.
    static func validate(_ text: String, referencedFiles: ReferencedFilePolicy = .ignore) -> ConfigValidation {
        ConfigLoader.validate(text: text, file: file, referencedFiles: referencedFiles, hostName: hostName)
    }

    /// The problems of `text`, as printed.
    static func problems(_ text: String) -> [String] {
        validate(text).problems.map(\.description)
    }
}
