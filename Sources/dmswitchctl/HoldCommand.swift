import Control

/// `dmswitchctl hold` and `release`: the operator's switch that stops automatic action.
enum HoldCommand {
    static let hold = CLICommand(
        name: "hold", synopsis: "hold [GROUP|--all] --reason TEXT [--for DURATION]",
        summary: "Stop automatic failover for a group or all groups.",
        details: """
            The hold records who asked (your user), why (--reason, required) and for how long
            (--for, e.g. 30m, 2h, 1h30m; default: until released). An operator-requested
            switchover still works while a group is held.
            """,
        action: .daemon(options: ["--all": .flag, "--reason": .value(placeholder: "TEXT"), "--for": .value(placeholder: "DURATION")],
                        prepare: prepareHold, render: renderAcknowledgement))

    static let release = CLICommand(
        name: "release", synopsis: "release [GROUP|--all]",
        summary: "End a hold.",
        details: "Automatic failover resumes for the group, or for all groups with --all.",
        action: .daemon(options: ["--all": .flag], prepare: prepareRelease, render: renderAcknowledgement))

    static func prepareHold(_ arguments: ParsedArguments) throws(UsageError) -> PreparedRequest {
        let target = try target(arguments, command: "hold")
        guard let reason = arguments.value("--reason"), !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError("hold needs --reason TEXT, so others know why the group is held.")
        }
        var duration: Duration?
        if let text = arguments.value("--for") {
            guard let seconds = DurationText.seconds(text), (1...ControlRequest.maximumHoldSeconds).contains(seconds) else {
                throw UsageError("--for needs a duration like 30m, 2h or 1h30m (at most 366d), not \"\(text)\".")
            }
            duration = .seconds(seconds)
        }
        return PreparedRequest(request: ControlRequest(.hold(target, reason: reason, duration: duration)))
    }

    static func prepareRelease(_ arguments: ParsedArguments) throws(UsageError) -> PreparedRequest {
        PreparedRequest(request: ControlRequest(.release(try target(arguments, command: "release"))))
    }

    private static func target(_ arguments: ParsedArguments, command: String) throws(UsageError) -> HoldTarget {
        let words = try arguments.positionals(atMost: 1)
        switch (words.first, arguments.has("--all")) {
        case (let group?, false): return .group(group)
        case (nil, true): return .all
        case (_?, true): throw UsageError("\(command) takes a GROUP or --all, not both.")
        case (nil, false): throw UsageError("\(command) needs a GROUP or --all.")
        }
    }

    /// The daemon's sentence, plus when the hold ends or which run started.
    static func renderAcknowledgement(_ result: ControlResult) -> String {
        guard case .done(let acknowledgement) = result else { return "" }
        var out = acknowledgement.message + "\n"
        if let until = acknowledgement.until { out += "Until: \(TimeText.format(until))\n" }
        if let run = acknowledgement.run { out += "Run: \(run)\n" }
        return out
    }
}
