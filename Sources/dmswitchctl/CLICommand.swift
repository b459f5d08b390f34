import Control

/// One entry of dmswitchctl's dispatch table: its name, its help, and what it does.
///
/// Online commands turn their arguments into one control request and render the daemon's result;
/// offline commands (GTID helpers, configuration checks) run locally and never touch the socket.
struct CLICommand: Sendable {
    /// What running the command means.
    enum Action: Sendable {
        /// Options the command accepts (besides the global ones), the request its arguments make,
        /// and how a successful result reads for a person.
        case daemon(options: [String: ParsedArguments.Kind], prepare: @Sendable (ParsedArguments) throws(UsageError) -> PreparedRequest,
                    render: @Sendable (ControlResult) -> String)
        /// Runs locally with the words after the command name.
        case offline(@Sendable (_ arguments: [String]) -> CLIResult)
    }

    let name: String
    /// `hold [GROUP|--all] --reason TEXT [--for DURATION]`
    let synopsis: String
    /// One line for the command list.
    let summary: String
    /// The rest of `dmswitchctl help NAME`.
    let details: String
    let action: Action

    var usage: String { "dmswitchctl \(synopsis)" }
    var helpCommand: String { "dmswitchctl \(name) --help" }

    var help: String {
        "Usage: \(usage)\n\n\(summary)\n" + (details.isEmpty ? "" : "\n\(details)\n")
    }
}

/// A request ready to send, and the question to confirm first (a switchover), if any.
struct PreparedRequest {
    var request: ControlRequest
    /// Asked on a terminal unless `--yes`; without a terminal `--yes` is required.
    var confirmation: String?
}

extension CLICommand {
    /// Every command, in the order `--help` lists them. Offline helpers plug in here.
    static let all: [CLICommand] = [
        StatusCommand.command, HoldCommand.hold, HoldCommand.release, AckCommand.command, CheckCommand.command,
        SwitchoverCommand.command, HistoryCommand.command, ReloadCommand.command, GTIDCommand.command,
        CheckConfigCommand.command,
    ]

    static func named(_ name: String) -> CLICommand? {
        all.first { $0.name == name }
    }
}

extension GTIDCommand {
    /// `dmswitchctl gtid …` in the dispatch table.
    static let command = CLICommand(
        name: "gtid", synopsis: "gtid contains|subtract|normalize [--flavor mysql|mariadb] A [B]",
        summary: "GTID arithmetic of DM's switch procedure (offline).", details: usage,
        action: .offline { run($0) })
}
