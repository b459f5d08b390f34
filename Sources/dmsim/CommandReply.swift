import DM
/// What a command prints and how dmsim exits, as dmctl would.
struct CommandReply: Equatable {
    var stdout: String = ""
    var stderr: String = ""
    var exitCode: Int32 = 0
    /// The top-level `result` for the event log (nil when there was no JSON reply).
    var result: Bool?

    static func json(_ value: ReplyJSON) -> CommandReply {
        var result: Bool?
        if case .object(let members) = value, let first = members.first(where: { $0.0 == "result" }),
           case .bool(let flag) = first.1 { result = flag }
        return CommandReply(stdout: value.rendered + "\n", result: result)
    }

    /// A Go error returned by the command: `Error: …` on stderr, exit 1 (v2.0.4+), with
    /// optional text dmctl printed on stdout before it.
    static func failure(_ message: String, stdout: String = "") -> CommandReply {
        CommandReply(stdout: stdout, stderr: "Error: \(message)\n", exitCode: 1)
    }
}

/// One-line usage strings of the commands (cobra `Use:`), printed on argument errors.
enum Usage {
    static func text(_ command: String, version: DMVersion) -> String {
        let use: String
        if version.isV1 {
            switch command {
            case "query-status": use = "query-status [-w worker ...] [task-name] [flags]"
            case "start-task": use = "start-task [-w worker ...] <config-file> [flags]"
            case "pause-relay", "resume-relay", "switch-relay-master": use = "\(command) <-w worker ...> [flags]"
            default: use = "\(command) [-w worker ...] <task-name> [flags]"
            }
        } else {
            switch command {
            case "query-status": use = "query-status [-s source ...] [task-name | task-file] [--more] [flags]"
            case "start-task": use = "start-task [-s source ...] [--remove-meta] <config-file> [flags]"
            case "operate-source": use = "operate-source <operate-type> [config-file ...] [-w worker] [--print-sample-config] [flags]"
            case "list-member": use = "list-member [--leader] [--master] [--worker] [--name master-name/worker-name ...] [flags]"
            case "pause-relay", "resume-relay": use = "\(command) <-s source ...> [flags]"
            default: use = "\(command) [-s source ...] [task-name | task-file] [flags]"
            }
        }
        return "Usage:\n  dmctl \(use)\n"
    }

    /// dmctl's reaction to wrong arguments: usage on stdout, then the error.
    static func error(_ command: String, version: DMVersion) -> CommandReply {
        if version.isV1 {
            // v1.0 prints the usage and still exits 0 (dm-interface §2.3).
            return CommandReply(stdout: text(command, version: version))
        }
        return .failure("please check output to see error", stdout: text(command, version: version))
    }
}
