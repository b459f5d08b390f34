import Control
import Foundation

/// dmswitchctl's command line: global options, the dispatch table, help and the exit-status map.
enum DMSwitchCtl {
    static let usage = "dmswitchctl [--socket PATH] [--json] COMMAND [ARGS...]"

    /// Options valid before (and, for daemon commands, after) the command name.
    struct GlobalOptions {
        var socketPath: String?
        var json = false
        var help = false
        var version = false
    }

    static func run(_ arguments: [String], context: CLIContext) -> CLIResult {
        var globals = GlobalOptions()
        var rest: [String]
        do {
            rest = try scanGlobalOptions(arguments, into: &globals, stopAtFirstWord: true)
        } catch {
            return .usageError(error.message, usage: usage, helpCommand: "dmswitchctl --help")
        }
        if globals.version { return CLIResult(status: CLIResult.Exit.ok, stdout: "dmswitchctl \(DMSwitchRelease.version)\n") }
        guard let name = rest.first else {
            if globals.help { return CLIResult(status: CLIResult.Exit.ok, stdout: helpText) }
            return .usageError("a command is required.", usage: usage, helpCommand: "dmswitchctl --help")
        }
        rest.removeFirst()
        if name == "help" { return help(for: rest) }
        guard let command = CLICommand.named(name) else {
            return .usageError("unknown command \"\(name)\".", usage: usage, helpCommand: "dmswitchctl --help")
        }
        if globals.help { return CLIResult(status: CLIResult.Exit.ok, stdout: command.help) }
        switch command.action {
        case .offline(let run):
            return run(rest)
        case .daemon(let options, let prepare, let render):
            do {
                rest = try scanGlobalOptions(rest, into: &globals, stopAtFirstWord: false)
                if globals.help { return CLIResult(status: CLIResult.Exit.ok, stdout: command.help) }
                let prepared = try prepare(try ParsedArguments(rest, options: options))
                return DaemonCall(
                    socketPath: socketPath(globals, context: context), json: globals.json, context: context
                ).perform(prepared, render: render)
            } catch {
                return .usageError(error.message, usage: command.usage, helpCommand: command.helpCommand)
            }
        }
    }

    /// `--socket`, then `$DMSWITCH_SOCKET`, then the default.
    static func socketPath(_ globals: GlobalOptions, context: CLIContext) -> String {
        if let path = globals.socketPath { return path }
        if let path = context.environment[ControlProtocol.socketEnvironmentVariable], !path.isEmpty { return path }
        return ControlProtocol.defaultSocketPath
    }

    /// Takes the global options out of `arguments`. Before the command (`stopAtFirstWord`) the
    /// first other word ends the scan; after it, other words and options are left for the command.
    static func scanGlobalOptions(
        _ arguments: [String], into globals: inout GlobalOptions, stopAtFirstWord: Bool
    ) throws(UsageError) -> [String] {
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            switch word {
            case "--json": globals.json = true
            case "-h", "--help": globals.help = true
            case "--version" where stopAtFirstWord: globals.version = true
            case "--socket":
                guard index < arguments.count else { throw UsageError("--socket needs a value (PATH).") }
                globals.socketPath = arguments[index]
                index += 1
            case _ where word.hasPrefix("--socket="):
                globals.socketPath = String(word.dropFirst("--socket=".count))
            case "--":
                rest += arguments[(index - 1)...]
                return rest
            default:
                if stopAtFirstWord {
                    if word.hasPrefix("-") { throw UsageError("unknown option \"\(word)\".") }
                    return [word] + arguments[index...]
                }
                rest.append(word)
            }
        }
        return rest
    }

    static func help(for words: [String]) -> CLIResult {
        guard let name = words.first else { return CLIResult(status: CLIResult.Exit.ok, stdout: helpText) }
        guard words.count == 1 else {
            return .usageError("help takes one COMMAND.", usage: "dmswitchctl help [COMMAND]", helpCommand: "dmswitchctl --help")
        }
        guard let command = CLICommand.named(name) else {
            return .usageError("unknown command \"\(name)\".", usage: "dmswitchctl help [COMMAND]", helpCommand: "dmswitchctl --help")
        }
        return CLIResult(status: CLIResult.Exit.ok, stdout: command.help)
    }

    static var helpText: String {
        let entries = CLICommand.all.map { command in
            (command.name == "gtid" ? "gtid ..." : command.synopsis, command.summary)
        } + [("help [COMMAND]", "Show the help of a command.")]
        let width = entries.map(\.0.count).max() ?? 0
        let commands = entries.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 }
        return """
            dmswitchctl controls dmswitchd, the daemon that keeps TiDB DM replicating when its
            MySQL/MariaDB upstream goes away.

            Usage: \(usage)

            Commands:
            \(commands.joined(separator: "\n"))

            Options:
              --socket PATH  The control socket (default \(ControlProtocol.defaultSocketPath), or $\(ControlProtocol.socketEnvironmentVariable)).
              --json         Print the daemon's result as JSON, for scripts.
              -h, --help     Show this help, or a command's help.
              --version      Print the version.

            Exit status: 0 done, 1 the daemon refused or failed, 64 usage error, 69 dmswitchd unreachable.

            """
    }
}
