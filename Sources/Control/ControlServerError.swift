import Glibc
import Posix

/// Why the control server could not start.
public struct ControlServerError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The configured control group does not exist.
        case unknownGroup(String)
        /// The socket's directory could not be created or prepared.
        case directory(path: String, errno: Int32)
        /// Something that is not a socket sits at the socket path.
        case notASocket(path: String)
        /// A live daemon answers on the socket path.
        case inUse(path: String)
        /// chmod or chown of the socket failed.
        case permissions(path: String, errno: Int32)
        /// socket, bind or listen failed.
        case socket(UnixSocketError)
    }

    public let kind: Kind

    public init(_ kind: Kind) {
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .unknownGroup(let name):
            return "The control socket group \"\(name)\" does not exist; create it (groupadd --system \(name)) "
                + "or set another group in the configuration."
        case .directory(let path, let code):
            return "Could not prepare the control socket directory \"\(path)\": \(String(cString: strerror(code)))."
        case .notASocket(let path):
            return "The control socket path \"\(path)\" exists and is not a socket; refusing to remove it."
        case .inUse(let path):
            return "Another process already answers on the control socket \"\(path)\"; is dmswitchd running twice?"
        case .permissions(let path, let code):
            return "Could not set the owner or mode of the control socket \"\(path)\": \(String(cString: strerror(code)))."
        case .socket(let error):
            return "Could not open the control socket: \(error.description)"
        }
    }
}
