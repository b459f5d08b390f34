import Glibc

/// How the control server listens and what it tolerates from clients.
public struct ControlServerConfiguration: Hashable, Sendable {
    public var socketPath: String
    /// The group that may use the socket (socket file group and authorization); nil: root only.
    public var group: String?
    /// 0660: owner and group may connect (connecting needs write permission on the socket file).
    public var socketMode: mode_t
    /// The mode of the socket's directory when the server has to create it.
    public var directoryMode: mode_t
    /// Requests larger than this are refused with `bad-request` without being read whole.
    public var maximumRequestBytes: Int
    /// How long a client may take to send its request, and to take the response.
    public var ioTimeout: Duration
    /// Connections served at once; more are answered `busy` and closed.
    public var maximumConnections: Int

    public init(
        socketPath: String = ControlProtocol.defaultSocketPath, group: String? = "dmswitch", socketMode: mode_t = 0o660,
        directoryMode: mode_t = 0o750, maximumRequestBytes: Int = ControlProtocol.maximumRequestBytes,
        ioTimeout: Duration = .seconds(2), maximumConnections: Int = 64
    ) {
        self.socketPath = socketPath
        self.group = group
        self.socketMode = socketMode
        self.directoryMode = directoryMode
        self.maximumRequestBytes = maximumRequestBytes
        self.ioTimeout = ioTimeout
        self.maximumConnections = maximumConnections
    }
}
