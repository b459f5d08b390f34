/// One thing wrong with a configuration file, located as precisely as the problem allows.
///
/// Problems are collected rather than thrown one at a time, so an operator fixes a file in one
/// pass instead of one error per run. `description` has the compiler shape
/// `file:line:column: message`, which editors and `grep` understand.
public struct ConfigProblem: Hashable, Sendable, CustomStringConvertible {
    /// Errors make the file unusable; warnings are reported but do not fail a check unless
    /// the check is strict (see `ReferencedFilePolicy`).
    public enum Severity: String, Hashable, Sendable {
        case error
        case warning
    }

    /// The configuration file as it was named to the loader.
    public var file: String
    /// Where the problem is; `nil` when it concerns something absent from the file,
    /// such as a missing table.
    public var location: SourceLocation?
    /// The dotted path of the key concerned, arrays of tables numbered from 1
    /// (`detection.interval`, `group[2].instance[1].address`); `nil` for syntax problems.
    public var key: String?
    /// What is wrong and, where possible, what was expected.
    public var message: String
    public var severity: Severity

    public init(
        file: String, location: SourceLocation?, key: String?, message: String,
        severity: Severity = .error
    ) {
        self.file = file
        self.location = location
        self.key = key
        self.message = message
        self.severity = severity
    }

    /// The line, or `nil` when the problem has no place in the file.
    public var line: Int? { location?.line }
    /// The column, or `nil` when the problem has no place in the file.
    public var column: Int? { location?.column }

    /// `file:line:column: message`, with `warning: ` before the message of a warning.
    public var description: String {
        let place = location.map { "\(file):\($0.line):\($0.column)" } ?? file
        let label = severity == .warning ? "warning: " : ""
        return "\(place): \(label)\(message)"
    }
}

/// Every error found in a configuration file; thrown by `ConfigLoader.load`.
///
/// It is one error holding a list because a half-checked file is of little use: the operator
/// wants every problem at once.
public struct ConfigErrors: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in file order; all of them have severity `.error`.
    public var problems: [ConfigProblem]

    public init(_ problems: [ConfigProblem]) {
        self.problems = problems
    }

    /// One problem a line, in file order.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
