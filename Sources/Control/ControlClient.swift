import Foundation
import Posix

/// The client end of the control socket, used by `dmswitchctl`: one request, one response.
public struct ControlClient: Sendable {
    public var socketPath: String
    /// How long to wait for the whole exchange. Generous: `check` and `switchover` may probe
    /// instances before the daemon answers.
    public var timeout: Duration

    /// The default of `timeout`; the daemon answers every command before it (with "busy" if
    /// it must), so that a slow command is never reported as a dead daemon.
    public static let defaultTimeout: Duration = .seconds(30)

    public init(socketPath: String = ControlProtocol.defaultSocketPath, timeout: Duration = ControlClient.defaultTimeout) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// Sends `request` and decodes the response.
    public func send(_ request: ControlRequest) throws(ControlClientError) -> ControlResponse {
        let line = try exchange(request.encodedLine())
        do {
            return try ControlResponse.decode(line, for: request.command.name)
        } catch {
            throw ControlClientError(.protocolViolation(error.description), socketPath: socketPath)
        }
    }

    /// Sends raw request bytes and returns the raw response line (without its newline).
    public func exchange(_ requestLine: [UInt8]) throws(ControlClientError) -> [UInt8] {
        let address: UnixSocketAddress
        do { address = try UnixSocketAddress(socketPath) } catch {
            throw ControlClientError(.invalidPath(error.description), socketPath: socketPath)
        }
        let socket: UnixSocket
        do { socket = try UnixSocket.make(.stream) } catch { throw ControlClientError(.io(error), socketPath: socketPath) }
        defer { socket.close() }
        do {
            try socket.connect(to: address)
        } catch {
            switch error.errno {
            case ENOENT, ECONNREFUSED, ENOTDIR: throw ControlClientError(.unreachable(error.errno), socketPath: socketPath)
            case EACCES, EPERM: throw ControlClientError(.permissionDenied, socketPath: socketPath)
            default: throw ControlClientError(.io(error), socketPath: socketPath)
            }
        }
        let deadline = ContinuousClock.now + timeout
        try write(requestLine, to: socket, deadline: deadline)
        return try readLine(from: socket, deadline: deadline)
    }

    private func write(_ bytes: [UInt8], to socket: UnixSocket, deadline: ContinuousClock.Instant) throws(ControlClientError) {
        var offset = 0
        while offset < bytes.count {
            guard let ms = ControlConnection.milliseconds(until: deadline), socket.wait(forWriting: true, milliseconds: ms) else {
                throw ControlClientError(.timedOut(timeout), socketPath: socketPath)
            }
            do {
                offset += try socket.send(bytes[offset...], flags: Int32(MSG_DONTWAIT))
            } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                continue
            } catch where error.errno == EPIPE || error.errno == ECONNRESET {
                // The daemon answered early (e.g. a refusal) and closed: its response is still readable.
                return
            } catch {
                throw ControlClientError(.io(error), socketPath: socketPath)
            }
        }
    }

    private func readLine(from socket: UnixSocket, deadline: ContinuousClock.Instant) throws(ControlClientError) -> [UInt8] {
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            guard let ms = ControlConnection.milliseconds(until: deadline), socket.wait(forWriting: false, milliseconds: ms) else {
                throw ControlClientError(.timedOut(timeout), socketPath: socketPath)
            }
            let count: Int
            do {
                count = try socket.receive(into: &chunk, maximum: chunk.count, flags: Int32(MSG_DONTWAIT))
            } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                continue
            } catch where error.errno == ECONNRESET && !response.isEmpty {
                count = 0
            } catch {
                throw ControlClientError(.io(error), socketPath: socketPath)
            }
            if count == 0 {
                guard !response.isEmpty else {
                    throw ControlClientError(.protocolViolation("the daemon closed the connection without answering"), socketPath: socketPath)
                }
                return response
            }
            let received = chunk[..<count]
            if let newline = received.firstIndex(of: UInt8(ascii: "\n")) {
                response.append(contentsOf: received[..<newline])
                return response
            }
            response.append(contentsOf: received)
            guard response.count <= ControlProtocol.maximumResponseBytes else {
                throw ControlClientError(
                    .protocolViolation("the response is larger than \(ControlProtocol.maximumResponseBytes) bytes"),
                    socketPath: socketPath)
            }
        }
    }
}

/// Why `dmswitchctl` could not get an answer from the daemon.
public struct ControlClientError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// No socket file, or nobody listening (ENOENT, ECONNREFUSED): the daemon is not running.
        case unreachable(Int32)
        /// EACCES on connect: the caller may not use the socket.
        case permissionDenied
        /// No complete answer within the timeout.
        case timedOut(Duration)
        /// The socket path cannot be a Unix socket address.
        case invalidPath(String)
        /// Something answered, but not in the control protocol.
        case protocolViolation(String)
        case io(UnixSocketError)
    }

    public let kind: Kind
    public let socketPath: String

    public init(_ kind: Kind, socketPath: String) {
        self.kind = kind
        self.socketPath = socketPath
    }

    /// True when the daemon cannot be reached at all (`dmswitchctl` exits 69).
    public var isUnreachable: Bool {
        switch kind {
        case .unreachable, .timedOut: true
        default: false
        }
    }

    public var description: String {
        switch kind {
        case .unreachable(let code):
            let why = code == ECONNREFUSED ? "nothing is listening on it" : "it does not exist"
            return "dmswitchd is not reachable at \(socketPath): \(why). Is dmswitchd running (systemctl status dmswitchd)?"
        case .permissionDenied:
            var who = "root or a member of the socket's group"
            var info = stat()
            if stat(socketPath, &info) == 0, let group = UserDatabase.groupName(gid: info.st_gid) {
                who = "root or a member of group \(group)"
            }
            return "Permission denied on the control socket \(socketPath); run dmswitchctl as \(who)."
        case .timedOut(let timeout):
            return "dmswitchd did not answer within \(ControlConnection.seconds(timeout)) on \(socketPath)."
        case .invalidPath(let reason):
            return "The control socket path is not usable: \(reason)"
        case .protocolViolation(let reason):
            return "The answer on \(socketPath) is not a dmswitchd response: \(reason)."
        case .io(let error):
            return error.description
        }
    }
}
