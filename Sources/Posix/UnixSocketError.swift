import Glibc

/// A failed operation on a Unix-domain socket, with the errno that explains it.
public struct UnixSocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operation that failed; its raw value is the verb used in the description.
    public enum Operation: String, Sendable {
        case address = "use the address"
        case socket = "create a socket"
        case connect = "connect to"
        case bind = "bind"
        case listen = "listen on"
        case accept = "accept a connection on"
        case send = "send to"
        case receive = "receive from"
        case option = "set an option on"
        case credentials = "read the peer credentials of"
    }

    public let operation: Operation
    /// The socket address involved, when known.
    public let address: String?
    /// The errno value, or 0 when the failure is not a system call error.
    public let errno: Int32
    /// A specific explanation when there is no errno.
    public let detail: String?

    public init(_ operation: Operation, address: String?, errno: Int32) {
        self.operation = operation
        self.address = address
        self.errno = errno
        self.detail = nil
    }

    public init(_ operation: Operation, address: String?, detail: String) {
        self.operation = operation
        self.address = address
        self.errno = 0
        self.detail = detail
    }

    public var description: String {
        let target = address.map { " \"\($0)\"" } ?? (operation == .socket ? "" : " the socket")
        let reason = detail ?? "\(String(cString: strerror(errno))) (errno \(errno))"
        return "Could not \(operation.rawValue)\(target): \(reason)."
    }
}
