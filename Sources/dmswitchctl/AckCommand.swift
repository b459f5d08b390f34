import Control

/// `dmswitchctl ack GROUP`: acknowledges a finished run and ends the group's cooldown.
enum AckCommand {
    static let command = CLICommand(
        name: "ack", synopsis: "ack GROUP",
        summary: "Acknowledge the last run, ending the cooldown.",
        details: """
            After a run a group cools down: no new automatic run until the cooldown expires or an
            operator acknowledges, so a flapping group cannot bounce DM back and forth.
            """,
        action: .daemon(options: [:], prepare: prepare, render: HoldCommand.renderAcknowledgement))

    static func prepare(_ arguments: ParsedArguments) throws(UsageError) -> PreparedRequest {
        guard let group = try arguments.positionals(atMost: 1).first else { throw UsageError("ack needs a GROUP.") }
        return PreparedRequest(request: ControlRequest(.acknowledge(group: group)))
    }
}

/// `dmswitchctl reload`: the daemon re-reads its configuration.
enum ReloadCommand {
    static let command = CLICommand(
        name: "reload", synopsis: "reload",
        summary: "Make dmswitchd re-read its configuration.",
        details: "The same as systemctl reload dmswitchd, with the daemon's answer.",
        action: .daemon(options: [:], prepare: prepare, render: HoldCommand.renderAcknowledgement))

    static func prepare(_ arguments: ParsedArguments) throws(UsageError) -> PreparedRequest {
        _ = try arguments.positionals(atMost: 0)
        return PreparedRequest(request: ControlRequest(.reload))
    }
}
