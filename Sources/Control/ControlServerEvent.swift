import Posix

/// Something the control server wants logged; the daemon maps these to log priorities.
public enum ControlServerEvent: Hashable, Sendable, CustomStringConvertible {
    /// A request was answered (audit: who asked what, and whether it succeeded).
    case served(ControlPeer, ControlCommandName, id: String?, error: ControlErrorCode?)
    /// A peer that is not allowed sent a request; it got `permission-denied`.
    case denied(ControlPeer, command: String?)
    /// A request was unreadable, too large, or never arrived whole; it got `bad-request`.
    case rejected(ControlPeer, reason: String)
    /// The connection limit was reached; a connection got `busy`.
    case busy(limit: Int)
    /// A socket operation failed (accept, write); the server keeps running.
    case failed(UnixSocketError)
    /// The socket's directory will keep members of the control group out.
    case directoryNotTraversable(path: String, group: String)

    public var description: String {
        switch self {
        case .served(let peer, let command, _, let error):
            let outcome = error.map { "refused (\($0))" } ?? "done"
            return "Control request \(command.rawValue) from \(peer): \(outcome)."
        case .denied(let peer, let command):
            return "Refused control request \(command ?? "(unreadable)") from \(peer): not root and not in the control group."
        case .rejected(let peer, let reason):
            return "Rejected a control request from \(peer): \(reason)"
        case .busy(let limit):
            return "Refused a control connection: \(limit) connections are already being served."
        case .failed(let error):
            return "The control socket failed: \(error.description)"
        case .directoryNotTraversable(let path, let group):
            return "The control socket directory \"\(path)\" does not let members of group \(group) reach the socket; "
                + "give it mode 0755 or group \(group)."
        }
    }
}
