import DMSwitchConfig

/// `dmswitchctl check-config FILE [--strict]`: the same check as
/// `dmswitchd --check-config`, so an operator can validate an edited file
/// before `systemctl reload dmswitchd` without touching the running daemon.
enum CheckConfigCommand {
    static let command = CLICommand(
        name: "check-config", synopsis: "check-config [--strict] FILE",
        summary: "Check a configuration file and print every problem (offline).",
        details: """
            Exits 0 and prints a one-line summary when the file is valid, or prints every problem
            as FILE:LINE:COLUMN: MESSAGE and exits 1. Files the configuration names (password
            files, dmctl, hooks, task and source files) missing or unreadable are warnings;
            with --strict they are errors, as when dmswitchd starts.
            """,
        action: .offline { run($0) })

    static func run(_ arguments: [String]) -> CLIResult {
        var strict = false
        var files: [String] = []
        for word in arguments {
            switch word {
            case "--strict": strict = true
            case "-h", "--help": return CLIResult(status: 0, stdout: command.help)
            default:
                if word.hasPrefix("-") {
                    return usageError("unknown option \"\(word)\".")
                }
                files.append(word)
            }
        }
        guard files.count == 1, let file = files.first else {
            return usageError(files.isEmpty ? "check-config needs the configuration file." : "check-config takes one file, not \(files.count).")
        }
        let report = ConfigChecker.check(path: file, strict: strict)
        return CLIResult(status: report.exitCode, stdout: report.standardOutput, stderr: report.standardError)
    }

    private static func usageError(_ message: String) -> CLIResult {
        CLIResult.usageError(message, usage: command.usage, helpCommand: command.helpCommand)
    }
}
