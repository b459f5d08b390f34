import DM
/// A parsed dmctl command line.
///
/// dmctl (v2.0.4+) parses with cobra/pflag: global flags (`--master-addr`, `--rpc-timeout`,
/// `-s/--source`) may stand anywhere, a single dash is accepted for the long global flags
/// (`-master-addr x`, `AdjustArgumentsForPflags`), string slices accept repeats and comma
/// lists, and `--` ends the flags. v1.0 dmctl takes `-master-addr` and `-w/--worker` the same way.
struct Invocation: Equatable {
    var masterAddr: String?
    var rpcTimeout: String?
    var printVersion = false
    var command: String?
    var positional: [String] = []
    /// `-s/--source` (v2+).
    var sources: [String] = []
    /// `-w/--worker`: worker addresses (v1) or the worker name of `operate-source create -w` (v6+).
    var workers: [String] = []
    /// Boolean command flags that were given (`more`, `remove-meta`, `leader`, `master`, `worker`, …).
    var switches: Set<String> = []
    /// String command flags (`start-time`, `batch-size`, …) and `-n/--name` of `list-member`.
    var options: [String: String] = [:]
    var names: [String] = []
}

/// A command line that dmctl itself would reject before talking to a master.
struct UsageError: Error, Equatable, CustomStringConvertible {
    /// The `Error: …` text.
    var message: String
    /// Printed on stdout before the error, as dmctl does for argument errors.
    var usage: String?
    var description: String { message }
}

/// Parses dmctl command lines for one DM version.
struct InvocationParser {
    enum Kind { case flag, value, list }

    let version: DMVersion

    /// Flags that may appear before or after the command word.
    private var globalFlags: [String: Kind] {
        var table: [String: Kind] = [
            "master-addr": .value, "rpc-timeout": .value, "config": .value, "ssl-ca": .value,
            "ssl-cert": .value, "ssl-key": .value, "secret-key-path": .value, "version": .flag,
        ]
        if !version.isV1 { table["source"] = .list }
        return table
    }

    private static let shorthands: [Character: String] = [
        "s": "source", "w": "worker", "V": "version", "n": "name",
    ]

    /// Long global flags that may be written with one dash.
    private static let singleDashGlobals: Set<String> = [
        "master-addr", "rpc-timeout", "config", "ssl-ca", "ssl-cert", "ssl-key", "version",
    ]

    /// The command-local flags of each command dmsim implements.
    func localFlags(for command: String) -> [String: Kind] {
        if version.isV1 {
            var table: [String: Kind] = ["worker": .list]
            if command == "query-status" { table["more"] = .flag }
            return table
        }
        switch command {
        case "query-status": return ["more": .flag]
        case "start-task": return ["remove-meta": .flag, "start-time": .value]
        case "pause-task", "resume-task", "stop-task": return ["batch-size": .value]
        case "operate-source": return ["worker": .value, "print-sample-config": .flag]
        case "list-member": return ["leader": .flag, "master": .flag, "worker": .flag, "name": .list]
        default: return [:]
        }
    }

    func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var result = Invocation()
        let command = commandWord(arguments)
        result.command = command
        var table = globalFlags
        if let command { table.merge(localFlags(for: command)) { global, _ in global } }
        var index = 0
        var seenCommand = false
        var flagsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if flagsEnded || !argument.hasPrefix("-") || argument == "-" {
                if !seenCommand && argument == command { seenCommand = true } else { result.positional.append(argument) }
                continue
            }
            if argument == "--" { flagsEnded = true; continue }
            let (name, inlineValue) = try flagName(argument)
            guard let kind = table[name] else {
                let shorthand = !argument.hasPrefix("--") && !argument.dropFirst().hasPrefix(name)
                throw UsageError(message: shorthand
                                 ? "unknown shorthand flag: '\(argument.dropFirst().prefix(1))' in \(argument)"
                                 : "unknown flag: --\(name)")
            }
            var value = inlineValue
            if kind != .flag && value == nil {
                guard index < arguments.count else {
                    throw UsageError(message: "flag needs an argument: --\(name)")
                }
                value = arguments[index]
                index += 1
            }
            try apply(name: name, kind: kind, value: value, to: &result)
        }
        return result
    }

    /// The first argument that is not a flag or a global flag's value.
    private func commandWord(_ arguments: [String]) -> String? {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" { return index < arguments.count ? arguments[index] : nil }
            guard argument.hasPrefix("-"), argument != "-" else { return argument }
            guard let (name, inline) = try? flagName(argument), inline == nil,
                  let kind = globalFlags[name], kind != .flag else { continue }
            index += 1
        }
        return nil
    }

    private func flagName(_ argument: String) throws(UsageError) -> (String, String?) {
        var body: Substring
        if argument.hasPrefix("--") {
            body = argument.dropFirst(2)
        } else {
            body = argument.dropFirst()
            let longName = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            if !InvocationParser.singleDashGlobals.contains(longName) {
                // A shorthand: `-s x`, `-s=x`, `-sx`.
                guard let letter = body.first, let long = InvocationParser.shorthands[letter] else {
                    throw UsageError(message: "unknown shorthand flag: '\(body.first.map(String.init) ?? "")' in \(argument)")
                }
                var rest = body.dropFirst()
                if rest.hasPrefix("=") { rest = rest.dropFirst() }
                return (long, rest.isEmpty ? nil : String(rest))
            }
        }
        if let equals = body.firstIndex(of: "=") {
            return (String(body[..<equals]), String(body[body.index(after: equals)...]))
        }
        return (String(body), nil)
    }

    private func apply(name: String, kind: Kind, value: String?, to result: inout Invocation) throws(UsageError) {
        switch kind {
        case .flag:
            let on: Bool
            switch value?.lowercased() {
            case nil, "true", "1", "t": on = true
            case "false", "0", "f": on = false
            default: throw UsageError(message: "invalid argument \"\(value ?? "")\" for \"--\(name)\" flag: strconv.ParseBool: parsing \"\(value ?? "")\": invalid syntax")
            }
            if name == "version" { result.printVersion = on } else if on { result.switches.insert(name) } else { result.switches.remove(name) }
        case .value:
            let text = value ?? ""
            switch name {
            case "master-addr": result.masterAddr = text
            case "rpc-timeout": result.rpcTimeout = text
            case "worker": result.workers = [text]
            default: result.options[name] = text
            }
        case .list:
            let items = (value ?? "").split(separator: ",").map { String($0) }
            switch name {
            case "source": result.sources += items
            case "worker": result.workers += items
            default: result.names += items
            }
        }
    }
}
