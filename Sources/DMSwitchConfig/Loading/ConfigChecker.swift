/// `check-config` for both programs (`dmswitchd --check-config FILE`, `dmswitchctl
/// check-config FILE`): the text to print and the exit code, so the two cannot drift apart.
public enum ConfigChecker {
    /// Checks `path`. Referenced files are checked with `.warn`, or `.require` when `strict`.
    public static func check(path: String, strict: Bool) -> ConfigCheckReport {
        let validation = ConfigLoader.validate(path: path, referencedFiles: strict ? .require : .warn)
        return ConfigCheckReport(validation: validation)
    }

    /// `dmswitch.toml: OK: 2 groups (6 instances), DM v2 via dmctl, detection 1s×3`.
    public static func summary(of configuration: DMSwitchConfiguration, file: String) -> String {
        let groups = configuration.groups.count
        let instances = configuration.groups.reduce(0) { $0 + $1.instances.count }
        let detection = configuration.detection
        return "\(file): OK: \(counted(groups, "group")) (\(counted(instances, "instance"))), "
            + "DM \(configuration.dm.version.raw) via \(configuration.dm.backend.rawValue), "
            + "detection \(DurationText.format(detection.interval))×\(detection.failures)"
    }

    /// `1 group`, `2 groups`.
    static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}

/// What `check-config` prints and how it exits.
public struct ConfigCheckReport: Hashable, Sendable {
    public var validation: ConfigValidation

    public init(validation: ConfigValidation) {
        self.validation = validation
    }

    private var file: String { validation.file }

    /// 0 when there is no error (warnings allowed), 1 otherwise.
    public var exitCode: Int32 { validation.errors.isEmpty ? 0 : 1 }

    /// The summary line when the file passed; empty otherwise.
    public var standardOutput: String {
        guard let configuration = validation.configuration, validation.errors.isEmpty else { return "" }
        var line = ConfigChecker.summary(of: configuration, file: file)
        if !validation.warnings.isEmpty {
            line += "; \(ConfigChecker.counted(validation.warnings.count, "warning"))"
        }
        return line + "\n"
    }

    /// Every problem, one a line, and on failure a closing `Error:` line.
    public var standardError: String {
        var text = validation.problems.map { "\($0.description)\n" }.joined()
        let errors = validation.errors.count
        if errors > 0 {
            var counts = ConfigChecker.counted(errors, "error")
            if !validation.warnings.isEmpty {
                counts += ", \(ConfigChecker.counted(validation.warnings.count, "warning"))"
            }
            text += "Error: \(file) is not a valid dmswitch configuration (\(counts)).\n"
        }
        return text
    }
}
