import DM
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// dmsim's entry point: dmctl-compatible commands, plus the `sim-*` commands that set up and
/// inspect the emulator.
struct DMSim {
    let environment: [String: String]
    let workingDirectory: String

    /// The dmctl commands dmsim answers, per line of DM (dm-interface §1.2).
    static let v2Commands: Set<String> = ["query-status", "pause-task", "resume-task", "stop-task", "start-task",
                                          "operate-source", "list-member", "pause-relay", "resume-relay"]
    static let v1Commands: Set<String> = ["query-status", "pause-task", "resume-task", "stop-task", "start-task",
                                          "pause-relay", "resume-relay", "switch-relay-master"]
    /// dmctl commands that exist but are outside what dmswitch drives.
    static let otherDMCommands: Set<String> = ["check-task", "show-ddl-locks", "unlock-ddl-lock", "purge-relay",
                                               "offline-member", "operate-leader", "operate-schema", "get-config",
                                               "handle-error", "transfer-source", "start-relay", "stop-relay",
                                               "binlog", "shard-ddl-lock", "binlog-schema", "config", "validation",
                                               "encrypt", "update-relay", "query-error", "refresh-worker-tasks"]

    func run(_ arguments: [String]) -> CommandReply {
        if let first = arguments.first, first.hasPrefix("sim-") {
            return SimCommands(environment: environment).run(first, Array(arguments.dropFirst()))
        }
        return runDMCtl(arguments)
    }

    private func runDMCtl(_ arguments: [String]) -> CommandReply {
        let store: StateStore
        let config: SimConfig
        do {
            store = try StateStore.fromEnvironment(environment)
            config = try store.loadConfig()
        } catch {
            return .failure(error.description)
        }
        let versionText = environment["DMSIM_VERSION"].flatMap { $0.isEmpty ? nil : $0 } ?? config.version
        guard let version = DMVersion(versionText) else {
            return .failure("dmsim is configured for DM version \"\(versionText)\", which is not a version like v6.5.0.")
        }
        let invocation: Invocation
        do {
            invocation = try InvocationParser(version: version).parse(arguments)
        } catch {
            return CommandReply(stdout: error.usage ?? "", stderr: "Error: \(error.message)\n", exitCode: version.isV1 ? 2 : 1)
        }
        if let failure = openLog(arguments) { return failure }
        if invocation.printVersion {
            return CommandReply(stdout: "Release Version: \(version)\nGit Commit Hash: dmsim\nGit Branch: dmsim\n"
                                + "UTC Build Time: -\nGo Version: -\nFailpoint Build: false\n")
        }
        guard let command = invocation.command else {
            return .failure("dmsim needs a command: dmctl's interactive mode is not emulated.")
        }
        let known = version.isV1 ? DMSim.v1Commands : DMSim.v2Commands
        guard known.contains(command) else {
            if DMSim.otherDMCommands.contains(command) {
                return .failure("dmsim does not emulate the dmctl command \"\(command)\".")
            }
            return CommandReply(stderr: "Error: unknown command \"\(command)\" for \"dmctl\"\nRun 'dmctl --help' for usage.\n",
                                exitCode: 1)
        }
        let masterAddr = invocation.masterAddr.flatMap { $0.isEmpty ? nil : $0 } ?? environment["DM_MASTER_ADDR"] ?? ""
        guard !masterAddr.isEmpty else {
            return .failure("--master-addr not provided, this parameter is required when interacting with the dm-master, you can also use environment variable 'DM_MASTER_ADDR' to specify the value. Use `dmctl --help` to see more help messages")
        }
        let requested = masterAddr.split(separator: ",").map { address -> String in
            var text = String(address).trimmingCharacters(in: .whitespaces)
            for scheme in ["http://", "https://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
            return text
        }
        if !requested.contains(where: config.masterAddrs.contains) {
            return unreachable(masterAddr, command: command, version: version)
        }
        do {
            return try execute(command, invocation, arguments: arguments, store: store, config: config, version: version,
                               masterAddr: masterAddr)
        } catch {
            return .failure("\(error)")
        }
    }

    private func execute(_ command: String, _ invocation: Invocation, arguments: [String], store: StateStore,
                         config: SimConfig, version: DMVersion, masterAddr: String) throws -> CommandReply {
        let fault = try store.locked { try store.consumeFault(for: command) }
        if let fault {
            store.append(SimEvent(time: Clock.timestamp(), kind: "fault", command: command, arguments: arguments,
                                  detail: "injected \(fault.kind.rawValue)"))
            switch fault.kind {
            case .unreachable:
                return unreachable(masterAddr, command: command, version: version)
            case .hang:
                while true { sleep(3600) }
            case .resultFalse:
                return .json(FaultReplies.resultFalse(command, message: fault.message, version: version))
            }
        }
        return try store.locked {
            let context = try SimContext(store: store, config: config, version: version, state: try store.loadState(),
                                         actor: "dmsim \(command)")
            defer { context.close() }
            context.checkViolations()
            let reply = context.dispatch(command, invocation)
            try store.saveState(context.state)
            for event in context.events { store.append(event) }
            store.append(SimEvent(time: Clock.timestamp(), kind: "command", command: command, arguments: arguments,
                                  exitCode: reply.exitCode, result: reply.result))
            return reply
        }
    }

    /// No master answers: v2.0.4+ returns the gRPC error (exit 1); v1.0 prints it and exits 0.
    private func unreachable(_ masterAddr: String, command: String, version: DMVersion) -> CommandReply {
        if version.isV1 {
            return CommandReply(stdout: "can not \(command):\nrpc error: code = Unavailable desc = all SubConns are in TransientFailure, latest connection error: connection error: desc = \"transport: Error while dialing dial tcp \(masterAddr): connect: connection refused\"\n")
        }
        return .failure(Terror.cannotConnect(masterAddr).description)
    }

    /// dmctl writes `dmctl.log` in its working directory and exits 2 when it cannot.
    private func openLog(_ arguments: [String]) -> CommandReply? {
        let path = workingDirectory + "/dmctl.log"
        let descriptor = open(path, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            return CommandReply(stderr: "init logger error open dmctl.log: \(String(cString: strerror(errno)))\n", exitCode: 2)
        }
        defer { close(descriptor) }
        let line = "[\(Clock.timestamp())] [INFO] [dmsim] [command=\"\(arguments.joined(separator: " "))\"]\n"
        _ = Array(line.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        return nil
    }
}

extension SimContext {
    func dispatch(_ command: String, _ invocation: Invocation) -> CommandReply {
        switch command {
        case "query-status": return queryStatus(invocation)
        case "pause-task": return operateTask(.pause, invocation)
        case "resume-task": return operateTask(.resume, invocation)
        case "stop-task": return operateTask(.stop, invocation)
        case "start-task": return startTask(invocation)
        case "operate-source": return operateSource(invocation)
        case "list-member": return listMember(invocation)
        case "pause-relay", "resume-relay": return operateRelay(command, invocation)
        case "switch-relay-master": return switchRelayMaster(invocation)
        default: return .failure("unknown command \"\(command)\" for \"dmctl\"")
        }
    }
}

/// The `"result": false` replies of injected faults, in each command's reply shape.
enum FaultReplies {
    static func resultFalse(_ command: String, message: String, version: DMVersion) -> ReplyJSON {
        let list: (String, ReplyJSON) = version.isV1 ? ("workers", .array([])) : ("sources", .array([]))
        switch command {
        case "pause-task": return opReply("Pause", message, list)
        case "resume-task": return opReply("Resume", message, list)
        case "stop-task": return opReply(version.stopOperation, message, list)
        case "pause-relay": return opReply("PauseRelay", message, list)
        case "resume-relay": return opReply("ResumeRelay", message, list)
        case "list-member": return .object([("result", .bool(false)), ("msg", .string(message)), ("members", .array([]))])
        case "start-task" where version.hasCheckResult:
            return .object([("result", .bool(false)), ("msg", .string(message)), list, ("checkResult", .string(""))])
        default: return .object([("result", .bool(false)), ("msg", .string(message)), list])
        }
    }

    private static func opReply(_ op: String, _ message: String, _ list: (String, ReplyJSON)) -> ReplyJSON {
        .object([("op", .string(op)), ("result", .bool(false)), ("msg", .string(message)), list])
    }
}
