import DM
import Foundation

/// The dmsim-only commands: setting up the state directory, v1 workers, faults, and reading
/// back the event log and violations.
///
/// ```
/// dmsim sim-init --state DIR --version v6.5.0 --master-addr 127.0.0.1:8261
///                [--downstream-user U --downstream-password-file F]
///                [--upstream-user U --upstream-password-file F] [--workers 3] [--timeout 2]
/// dmsim sim-add-worker --worker HOST:PORT --source-file SOURCE.yaml        (DM v1)
/// dmsim sim-add-worker --inventory inventory.ini --alias dm_worker1 [--worker HOST:PORT]
/// dmsim sim-fault --command pause-task --kind hang|unreachable|result-false [--count N] [--message M]
/// dmsim sim-fault --clear | --list
/// dmsim sim-events | sim-violations [--json] | sim-check | sim-watch [--interval 200ms] [--duration 60s]
/// ```
/// Every command but `sim-init` finds the state directory in `--state` or `DMSIM_STATE`.
struct SimCommands {
    let environment: [String: String]

    func run(_ command: String, _ arguments: [String]) -> CommandReply {
        let options: [String: String]
        do {
            options = try SimOptions.parse(arguments)
        } catch {
            return CommandReply(stderr: "Error: \(error)\n", exitCode: 64)
        }
        do {
            switch command {
            case "sim-init": return try initialize(options)
            case "sim-add-worker": return try addWorker(options)
            case "sim-fault": return try fault(options)
            case "sim-events":
                return CommandReply(stdout: try store(options).readLines(try store(options).eventsPath).map { $0 + "\n" }.joined())
            case "sim-violations": return try violations(options)
            case "sim-check": return try check(options)
            case "sim-watch": return try watch(options)
            default:
                return CommandReply(stderr: "Error: unknown dmsim command \"\(command)\"; the dmsim commands are sim-init, sim-add-worker, sim-fault, sim-events, sim-violations, sim-check and sim-watch.\n", exitCode: 64)
            }
        } catch {
            return CommandReply(stderr: "Error: \(error)\n", exitCode: 1)
        }
    }

    private func store(_ options: [String: String]) throws(SimSetupError) -> StateStore {
        if let directory = options["state"] { return StateStore(directory: directory) }
        return try StateStore.fromEnvironment(environment)
    }

    private func initialize(_ options: [String: String]) throws -> CommandReply {
        let store = try store(options)
        let versionText = options["version"] ?? "v6.5.0"
        guard DMVersion(versionText) != nil else {
            throw SimSetupError(description: "The DM version \"\(versionText)\" is not a version like v6.5.0.")
        }
        let masters = (options["master-addr"] ?? "127.0.0.1:8261").split(separator: ",").map(String.init)
        let workerCount = Int(options["workers"] ?? "3") ?? -1
        guard (1...64).contains(workerCount) else {
            throw SimSetupError(description: "--workers must be a number from 1 to 64.")
        }
        let timeout = Int(options["timeout"] ?? "2") ?? -1
        guard (1...60).contains(timeout) else {
            throw SimSetupError(description: "--timeout must be a number of seconds from 1 to 60.")
        }
        func login(_ prefix: String) -> SimConfig.Login? {
            options["\(prefix)-user"].map { SimConfig.Login(user: $0, passwordFile: options["\(prefix)-password-file"]) }
        }
        let config = SimConfig(version: versionText, masterAddrs: masters,
                               workers: SimConfig.defaultWorkers(count: workerCount),
                               downstream: login("downstream"), upstream: login("upstream"),
                               connectTimeoutSeconds: timeout)
        _ = try config.downstream?.resolvedPassword()
        _ = try config.upstream?.resolvedPassword()
        do {
            try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
        } catch {
            throw SimSetupError(description: "The state directory \"\(store.directory)\" cannot be created: \(error).")
        }
        try store.locked {
            try store.saveConfig(config)
            try store.saveState(SimState())
            try store.saveFaults([])
            for path in [store.eventsPath, store.violationsPath] { try? FileManager.default.removeItem(atPath: path) }
        }
        return CommandReply(stdout: "dmsim state in \(store.directory): DM \(versionText), masters \(masters.joined(separator: ",")), \(workerCount) worker(s).\n")
    }

    /// v1: a DM-worker serving one upstream, from a DM source file (`--worker HOST:PORT
    /// --source-file F`) or from the worker's line in a DM-Ansible inventory (`--inventory F
    /// --alias A`; the worker listens at `ansible_host:dm_worker_port`, 8262 by default,
    /// unless `--worker` says otherwise).
    ///
    /// Adding a worker again is the "rolling update" of the v1 address-change runbook: the
    /// worker restarts reading from the address its configuration now names, so the inventory
    /// form is what an operator's configured rolling-update command would run.
    private func addWorker(_ options: [String: String]) throws -> CommandReply {
        let store = try store(options)
        let upstream = try WorkerUpstream(options)
        let address = upstream.worker
        let config = try store.loadConfig()
        return try store.locked {
            var state = try store.loadState()
            if let other = state.v1Workers[address], other != upstream.sourceID {
                throw SimSetupError(description: "The worker \(address) already serves source \(other).")
            }
            var record = state.sources[upstream.sourceID]
                ?? SourceRecord(id: upstream.sourceID, from: upstream.from, enableGTID: upstream.enableGTID, enableRelay: true,
                                flavor: upstream.flavor)
            record.from = upstream.from
            record.enableGTID = upstream.enableGTID
            record.worker = address
            state.sources[upstream.sourceID] = record
            state.v1Workers[address] = upstream.sourceID
            let context = try SimContext(store: store, config: config, version: DMVersion(1, 0, 7), state: state,
                                         actor: "dmsim sim-add-worker")
            defer { context.close() }
            if case .success(let view) = context.observe(upstream.sourceID) {
                context.noteIdentity(upstream.sourceID, view.identity, forceNew: false)
            }
            try store.saveState(context.state)
            let line = "v1 worker \(address) serves \(upstream.sourceID) at \(upstream.from.address)"
            store.append(SimEvent(time: Clock.timestamp(), kind: "worker", source: upstream.sourceID, detail: line))
            return CommandReply(stdout: "worker \(address) serves source \(upstream.sourceID) at \(upstream.from.address)\n")
        }
    }

    private func fault(_ options: [String: String]) throws -> CommandReply {
        let store = try store(options)
        if options["clear"] != nil {
            try store.locked { try store.saveFaults([]) }
            return CommandReply(stdout: "no faults armed\n")
        }
        if options["list"] != nil {
            let lines = store.loadFaults().map { "\($0.command) \($0.kind.rawValue) remaining=\($0.remaining) \($0.message)\n" }
            return CommandReply(stdout: lines.joined())
        }
        guard let command = options["command"] else {
            throw SimSetupError(description: "sim-fault needs --command (a dmctl command name, or * for all).")
        }
        guard let kindText = options["kind"], let kind = Fault.Kind(rawValue: kindText) else {
            throw SimSetupError(description: "sim-fault needs --kind unreachable, hang or result-false.")
        }
        guard let count = Int(options["count"] ?? "1"), count > 0 else {
            throw SimSetupError(description: "--count must be a positive number.")
        }
        let message = options["message"] ?? "injected failure"
        try store.locked {
            var faults = store.loadFaults()
            faults.append(Fault(command: command, kind: kind, message: message, remaining: count))
            try store.saveFaults(faults)
        }
        return CommandReply(stdout: "armed: next \(count) call(s) of \(command): \(kind.rawValue)\n")
    }

    private func violations(_ options: [String: String]) throws -> CommandReply {
        let store = try store(options)
        let found = store.violations()
        let text = options["json"] != nil
            ? store.readLines(store.violationsPath).map { $0 + "\n" }.joined()
            : found.map { $0.sentence + "\n" }.joined()
        return CommandReply(stdout: text, exitCode: found.isEmpty ? 0 : 1)
    }

    /// One violation check pass, as every dmctl-compatible invocation does.
    private func check(_ options: [String: String]) throws -> CommandReply {
        let store = try store(options)
        let found = try checkOnce(store, actor: "sim-check")
        return CommandReply(stdout: found.map { $0.sentence + "\n" }.joined(), exitCode: found.isEmpty ? 0 : 1)
    }

    private func checkOnce(_ store: StateStore, actor: String) throws -> [Violation] {
        let config = try store.loadConfig()
        let versionText = environment["DMSIM_VERSION"].flatMap { $0.isEmpty ? nil : $0 } ?? config.version
        guard let version = DMVersion(versionText) else {
            throw SimSetupError(description: "dmsim is configured for DM version \"\(versionText)\", which is not a version like v6.5.0.")
        }
        return try store.locked {
            let context = try SimContext(store: store, config: config, version: version, state: try store.loadState(), actor: actor)
            defer { context.close() }
            let found = context.checkViolations()
            try store.saveState(context.state)
            for event in context.events { store.append(event) }
            return found
        }
    }

    /// A foreground loop so a hazard is caught even when nobody calls dmsim; it prints each
    /// violation as it is found and ends after `--duration` (default: until killed).
    private func watch(_ options: [String: String]) throws -> CommandReply {
        let store = try store(options)
        let interval = try SimOptions.duration(options["interval"] ?? "200ms")
        let duration = try options["duration"].map(SimOptions.duration)
        let end = duration.map { Date().addingTimeInterval($0) }
        while end.map({ Date() < $0 }) ?? true {
            do {
                for violation in try checkOnce(store, actor: "sim-watch") {
                    FileHandle.standardOutput.write(Data((violation.sentence + "\n").utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("sim-watch: \(error)\n".utf8))
            }
            Thread.sleep(forTimeInterval: interval)
        }
        return CommandReply()
    }
}

/// `--key value` / `--key=value` / `--flag` options of the sim commands.
enum SimOptions {
    static let flags: Set<String> = ["clear", "list", "json"]

    static func parse(_ arguments: [String]) throws(SimSetupError) -> [String: String] {
        var options: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                throw SimSetupError(description: "Unexpected argument \"\(argument)\"; sim commands take --name value options.")
            }
            var name = String(argument.dropFirst(2))
            if let equals = name.firstIndex(of: "=") {
                options[String(name[..<equals])] = String(name[name.index(after: equals)...])
                continue
            }
            if flags.contains(name) { options[name] = "true"; continue }
            guard index < arguments.count else {
                throw SimSetupError(description: "The option --\(name) needs a value.")
            }
            options[name] = arguments[index]
            index += 1
            name = ""
        }
        return options
    }

    /// `200ms`, `2s`, `1m`, or a plain number of seconds.
    static func duration(_ text: String) throws(SimSetupError) -> TimeInterval {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)), value > 0 { return value * scale }
        }
        if let value = Double(text), value > 0 { return value }
        throw SimSetupError(description: "\"\(text)\" is not a duration like 200ms, 2s or 1m.")
    }
}
