/// What a dmswitchctl command printed and how it ends; main.swift writes it out.
struct CLIResult: Equatable, Sendable {
    var status: Int32
    var stdout: String = ""
    var stderr: String = ""

    /// The exit status map shared with the README: sysexits for usage and unavailability.
    enum Exit {
        static let ok: Int32 = 0
        /// The daemon refused or failed (or an answer could not be used).
        static let failed: Int32 = 1
        /// EX_USAGE: the command line is wrong.
        static let usage: Int32 = 64
        /// EX_UNAVAILABLE: the daemon is not running or not answering.
        static let unavailable: Int32 = 69
    }

    static func usageError(_ message: String, usage: String, helpCommand: String) -> CLIResult {
        CLIResult(status: Exit.usage, stderr: "Error: \(message)\nUsage: \(usage)\nSee '\(helpCommand)'.\n")
    }
}

/// A mistake on the command line, reported with exit status 64.
struct UsageError: Error, Equatable {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
