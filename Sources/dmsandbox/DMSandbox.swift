import Foundation
import Sandbox

/// The `dmsandbox` command line: one subcommand per sandbox operation.
///
/// Exit status (the project's one map): 0 done, 1 the operation failed,
/// 64 usage error. Errors are one `Error: …` line on stderr.
enum DMSandbox {
    struct Outcome {
        var status: Int32
        var stdout = ""
        var stderr = ""

        static func ok(_ text: String = "") -> Outcome { Outcome(status: 0, stdout: text) }
        static func failed(_ error: SandboxError) -> Outcome { Outcome(status: 1, stderr: "Error: \(error.description)\n") }
        static func usage(_ message: String) -> Outcome {
            Outcome(status: 64, stderr: "Error: \(message)\nUsage: \(DMSandbox.synopsis)\nSee 'dmsandbox --help'.\n")
        }
    }

    static let synopsis = "dmsandbox <command> --dir DIR [options]"

    static let help = """
        dmsandbox: a local MariaDB replication group for dmswitch's demo and benchmarks.

        Usage: \(synopsis)

        Commands:
          up [--instances N] [--vip] [--downstream] [--max-connections N] [--foreground] [--json]
                          Start N servers (default 3) replicating by GTID from db1, optionally an
                          HAProxy VIP and a downstream server; write DIR/sandbox.json. Returns once
                          everything runs, leaving it running, unless --foreground (then Ctrl-C stops it).
          down            Kill every server and the VIP; remove what `up` created in DIR.
          status [--json] Show the servers, their pids, ports and roles.
          kill N          SIGKILL instance N.
          stop N          SIGSTOP instance N (it hangs: TCP accepted, nothing answered).
          cont N          SIGCONT instance N.
          restart N       Start instance N again on its data directory and port, in its role.
          promote N       Make N the primary; the other running instances replicate from it.
          vip-move N      Point the VIP at instance N (old sessions are shut down).
          purge N         FLUSH BINARY LOGS and PURGE BINARY LOGS TO the new log on instance N.
          write [--rows N] [--rate R] [--table T] [--ids FILE] [--via-vip]
                          Insert rows (one transaction each) at R rows/s into dmsandbox.T (default
                          "writes"), following promotions; append each acknowledged id to FILE
                          (default DIR/acknowledged-ids.txt). Without --rows, until Ctrl-C or SIGTERM.

        Instances are numbered from 1 (db1, db2, …). DIR may also come from DMSANDBOX_DIR.
        Exit status: 0 done, 1 failed, 64 usage error.
        """

    static func run(_ arguments: [String]) async -> Outcome {
        guard let command = arguments.first else { return .usage("a command is required.") }
        if command == "--help" || command == "-h" || command == "help" { return .ok(help + "\n") }
        let parsed: SandboxArguments
        do {
            parsed = try SandboxArguments.parse(Array(arguments.dropFirst()), for: command)
        } catch {
            return .usage(error.message)
        }
        if parsed.flags.contains("help") { return .ok(help + "\n") }
        do throws(SandboxError) {
            switch command {
            case "up": return try await UpCommand.run(parsed)
            case "down": return try DownCommand.run(parsed)
            case "status": return try StatusCommand.run(parsed)
            case "write": return try await WriteCommand.run(parsed)
            default: return try await InstanceCommand.run(command, parsed)
            }
        } catch {
            return .failed(error)
        }
    }
}
