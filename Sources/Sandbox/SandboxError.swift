import Posix
import Upstream

/// A sandbox operation that failed: what was attempted and why, as one sentence.
public struct SandboxError: Error, Sendable, CustomStringConvertible {
    /// What was attempted, as a phrase: `start db2`.
    public var operation: String
    /// Why it failed.
    public var reason: String

    public init(_ operation: String, _ reason: String) {
        self.operation = operation
        self.reason = reason
    }

    public init(_ operation: String, _ error: MySQLError) {
        self.init(operation, error.description)
    }

    public init(_ operation: String, _ error: Errno) {
        self.init(operation, error.description)
    }

    public init(_ operation: String, _ error: SubprocessError) {
        self.init(operation, error.description)
    }

    public var description: String {
        let trimmed = reason.hasSuffix(".") ? String(reason.dropLast()) : reason
        return "Could not \(operation): \(trimmed)."
    }
}
