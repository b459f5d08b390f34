import Control

/// `dmswitchctl switchover GROUP --to INSTANCE [--yes]`: an operator-requested switch.
enum SwitchoverCommand {
    static let command = CLICommand(
        name: "switchover", synopsis: "switchover GROUP --to INSTANCE [--yes]",
        summary: "Switch a group's DM upstream to an instance, safely.",
        details: """
            DM's tasks on the group's source are paused while the upstream changes. On a terminal
            you are asked to confirm; from a script, pass --yes. The daemon refuses if INSTANCE
            does not satisfy DM's GTID conditions (see 'dmswitchctl check GROUP').
            """,
        action: .daemon(options: ["--to": .value(placeholder: "INSTANCE"), "--yes": .flag], prepare: prepare,
                        render: HoldCommand.renderAcknowledgement))

    static func prepare(_ arguments: ParsedArguments) throws(UsageError) -> PreparedRequest {
        guard let group = try arguments.positionals(atMost: 1).first else { throw UsageError("switchover needs a GROUP.") }
        guard let instance = arguments.value("--to"), !instance.isEmpty else {
            throw UsageError("switchover needs --to INSTANCE.")
        }
        let question = arguments.has("--yes")
            ? nil : "Switch DM's upstream for group \(group) to \(instance)? DM's tasks are paused meanwhile. [y/N] "
        return PreparedRequest(request: ControlRequest(.switchover(group: group, to: instance)), confirmation: question)
    }
}
