/// What a command may use from its surroundings; tests substitute every part.
struct CLIContext {
    var environment: [String: String]
    /// Whether standard input is a terminal (a switchover may then ask for confirmation).
    var standardInputIsTerminal: Bool
    /// Shows a question on the terminal and reads one line of answer; nil at end of input.
    var ask: (String) -> String?
}
