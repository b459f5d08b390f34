import Foundation

/// The parsed arguments of one `dmsandbox` command.
struct SandboxArguments {
    /// Options that take a value, per command.
    static let valueOptions: [String: Set<String>] = [
        "up": ["dir", "instances", "max-connections"],
        "down": ["dir"], "status": ["dir"],
        "kill": ["dir"], "stop": ["dir"], "cont": ["dir"], "restart": ["dir"],
        "promote": ["dir"], "vip-move": ["dir"], "purge": ["dir"],
        "write": ["dir", "rows", "rate", "table", "ids"],
    ]
    /// Options without a value, per command.
    static let flagOptions: [String: Set<String>] = [
        "up": ["vip", "downstream", "foreground", "json"],
        "status": ["json"],
        "write": ["via-vip"],
    ]
    /// Commands that take an instance number.
    static let instanceCommands: Set<String> = ["kill", "stop", "cont", "restart", "promote", "vip-move", "purge"]

    struct UsageError: Error {
        var message: String
    }

    var command: String
    var values: [String: String] = [:]
    var flags: Set<String> = []
    var instance: Int?
    /// Validated numeric options.
    var instances: Int?
    var maxConnections: Int?
    var rows: Int?
    var rate: Double?

    static func parse(_ arguments: [String], for command: String) throws(UsageError) -> SandboxArguments {
        guard let valueNames = valueOptions[command] else {
            throw UsageError(message: "unknown command \"\(command)\".")
        }
        let flagNames = (flagOptions[command] ?? []).union(["help"])
        var parsed = SandboxArguments(command: command)
        var positionals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                positionals.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flagNames.contains(name) {
                guard value == nil else { throw UsageError(message: "--\(name) takes no value.") }
                parsed.flags.insert(name)
            } else if valueNames.contains(name) {
                if value == nil {
                    guard index < arguments.count else { throw UsageError(message: "--\(name) needs a value.") }
                    value = arguments[index]
                    index += 1
                }
                parsed.values[name] = value
            } else {
                throw UsageError(message: "\(command) has no option --\(name).")
            }
        }
        if instanceCommands.contains(command) {
            guard positionals.count == 1, let number = Int(positionals[0]), number >= 1 else {
                throw UsageError(message: "\(command) needs one instance number (1, 2, …).")
            }
            parsed.instance = number
        } else if let extra = positionals.first {
            throw UsageError(message: "unexpected argument \"\(extra)\".")
        }
        if parsed.flags.contains("help") { return parsed }
        parsed.instances = try parsed.integer("instances", in: 1...9)
        parsed.maxConnections = try parsed.integer("max-connections", in: 10...10_000)
        parsed.rows = try parsed.integer("rows", in: 0...100_000_000)
        if let text = parsed.values["rate"] {
            guard let rate = Double(text), rate > 0, rate.isFinite else {
                throw UsageError(message: "--rate must be a positive number of rows per second, not \"\(text)\".")
            }
            parsed.rate = rate
        }
        if parsed.values["dir"] == nil {
            guard let fromEnvironment = ProcessInfo.processInfo.environment["DMSANDBOX_DIR"], !fromEnvironment.isEmpty else {
                throw UsageError(message: "--dir DIR is required (or set DMSANDBOX_DIR).")
            }
            parsed.values["dir"] = fromEnvironment
        }
        return parsed
    }

    var directory: String { values["dir"] ?? "" }

    /// An integer option within `range`; nil when absent.
    private func integer(_ name: String, in range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError(message: "--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\".")
        }
        return value
    }
}
