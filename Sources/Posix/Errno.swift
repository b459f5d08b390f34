import Glibc

/// A system call's failure: the errno value and what was being attempted.
///
/// Every wrapper in this module reports failures through this one type, so
/// callers see one shape: `Could not open "/x": No such file or directory (errno 2).`
public struct Errno: Error, Equatable, Sendable, CustomStringConvertible {
    /// The raw errno value.
    public let code: Int32
    /// What was being attempted, as a phrase: `open "/x"`.
    public let operation: String

    public init(_ code: Int32, _ operation: String) {
        self.code = code
        self.operation = operation
    }

    /// Captures the calling thread's current `errno`.
    public static func current(_ operation: String) -> Errno {
        Errno(errno, operation)
    }

    /// The C library's text for the code (`strerror`).
    public var message: String {
        String(cString: strerror(code))
    }

    public var description: String {
        "Could not \(operation): \(message) (errno \(code))."
    }
}

/// Repeats a system call while it fails with EINTR.
///
/// Signals are delivered to arbitrary threads of the daemon; a blocking call
/// interrupted by one has not failed.
@inline(__always)
public func retryingOnInterrupt<T: BinaryInteger>(_ call: () -> T) -> T {
    while true {
        let result = call()
        if result == -1 && errno == EINTR { continue }
        return result
    }
}
