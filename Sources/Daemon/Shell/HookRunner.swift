import DMSwitchConfig
import DMSwitchLog
import Failover
import Posix

/// Runs the operator's commands that act outside DM: the VIP move and the
/// DM-Ansible rolling update.
///
/// The hook learns what to do from its environment, never from arguments we
/// build into a shell line: `DMSWITCH_RUN_ID`, `DMSWITCH_GROUP`,
/// `DMSWITCH_OLD_INSTANCE`, `DMSWITCH_NEW_INSTANCE` (host:port) and, for a
/// VIP, `DMSWITCH_VIP`. A non-zero exit or the timeout is a failed step.
struct HookRunner: Sendable {
    /// The variables every hook sees, on top of the daemon's own environment.
    static func environment(run: RunID, group: String, from: Failover.InstanceAddress,
                            to: Failover.InstanceAddress, vip: HostPort?) -> [String: String] {
        var variables = Subprocess.currentEnvironment()
        variables["DMSWITCH_RUN_ID"] = run.rawValue
        variables["DMSWITCH_GROUP"] = group
        variables["DMSWITCH_OLD_INSTANCE"] = from.description
        variables["DMSWITCH_NEW_INSTANCE"] = to.description
        if let vip { variables["DMSWITCH_VIP"] = vip.description }
        return variables
    }

    /// Runs `command`, logs how long it took (`CommandLog`); nil when it succeeded,
    /// else one sentence saying why not.
    static func run(_ command: ExternalCommand, purpose: String, environment: [String: String],
                    timeout: Duration, workingDirectory: String?, log: EventLog) -> String? {
        let options = Subprocess.Options(
            executable: command.executable, arguments: command.arguments, environment: environment,
            workingDirectory: workingDirectory, deadline: timeout, outputLimit: 64 * 1024)
        let name = String(command.executable.split(separator: "/").last ?? Substring(command.executable))
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run(options)
        } catch {
            CommandLog.hook(log, command: name, duration: .zero, result: "not started")
            return "Could not \(purpose): \(error)"
        }
        CommandLog.hook(log, command: name, duration: outcome.duration, result: outcome.timedOut ? "timed out" : outcome.status.description)
        if outcome.timedOut {
            return "Could not \(purpose): \(command) did not finish within \(timeout) and was killed."
        }
        guard outcome.status.isSuccess else {
            let said = (outcome.stderr.isEmpty ? outcome.stdout : outcome.stderr)
                .split(separator: "\n").last.map { " (\"\($0)\")" } ?? ""
            return "Could not \(purpose): \(command) \(outcome.status)\(said)."
        }
        return nil
    }
}
