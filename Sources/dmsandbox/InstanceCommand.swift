import Sandbox

/// The commands that act on one instance: kill, stop, cont, restart, promote, vip-move, purge.
enum InstanceCommand {
    static func run(_ command: String, _ arguments: SandboxArguments) async throws(SandboxError) -> DMSandbox.Outcome {
        let sandbox = try Sandbox.attach(directory: arguments.directory)
        let number = arguments.instance ?? 0
        let name = try sandbox.instance(number).name
        switch command {
        case "kill":
            try await sandbox.kill(number)
            return .ok("Killed \(name) (SIGKILL).\n")
        case "stop":
            try await sandbox.stop(number)
            return .ok("Stopped \(name) (SIGSTOP).\n")
        case "cont":
            try await sandbox.cont(number)
            return .ok("Continued \(name) (SIGCONT).\n")
        case "restart":
            try await sandbox.restart(number)
            return .ok("Restarted \(name) (pid \(try sandbox.instance(number).pid.map(String.init) ?? "-")).\n")
        case "promote":
            try await sandbox.promote(number)
            return .ok("Promoted \(name); the other running instances replicate from it.\n")
        case "vip-move":
            try await sandbox.moveVIP(to: number)
            return .ok("The VIP now points at \(name).\n")
        case "purge":
            let oldest = try await sandbox.purgeBinaryLogs(on: number)
            return .ok("Purged the binary logs of \(name) up to \(oldest).\n")
        default:
            return .usage("unknown command \"\(command)\".")
        }
    }
}
