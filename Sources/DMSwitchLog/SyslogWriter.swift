import Glibc
import Posix
import Synchronization

/// Writes events to the local syslog socket itself, in glibc's exact format, without ever blocking.
///
/// Why not `syslog(3)`: glibc's socket is blocking (a full journald queue would stall the decision
/// loop), its path is hard-coded to /dev/log (tests could not point it elsewhere), and `openlog`
/// keeps a pointer to the identifier. This writer sends one datagram per event with
/// `MSG_DONTWAIT|MSG_NOSIGNAL`, counts and drops a message when the receiver's queue is full,
/// reconnects once when the socket went away (journald restarted), and can fall back to stderr
/// when there is no syslog socket at all (a container without journald).
public final class SyslogWriter: LogSink, Sendable {
    /// Where and how to write.
    public struct Options: Sendable {
        /// The datagram socket of the syslog daemon; journald's is /dev/log.
        public var socketPath: String
        public var facility: SyslogFacility
        /// The tag before `[PID]:`; journald stores it as SYSLOG_IDENTIFIER.
        public var identifier: String
        /// Writes `<N>line` to stderr when the socket cannot be reached. Under systemd stderr goes
        /// to the journal too, and journald reads the `<N>` prefix as the priority.
        public var fallbackToStandardError: Bool
        /// The clock of the timestamp; tests fix it.
        public var clock: @Sendable () -> SyslogTimestamp

        public init(
            socketPath: String = "/dev/log", facility: SyslogFacility = .daemon, identifier: String = "dmswitchd",
            fallbackToStandardError: Bool = false,
            clock: @escaping @Sendable () -> SyslogTimestamp = { SyslogTimestamp.now() }
        ) {
            self.socketPath = socketPath
            self.facility = facility
            self.identifier = identifier
            self.fallbackToStandardError = fallbackToStandardError
            self.clock = clock
        }
    }

    /// What happened to one message.
    public enum Delivery: Equatable, Sendable {
        case sent
        /// The receiver's queue was full; the message was dropped (counted) rather than waited for.
        case droppedQueueFull
        /// The socket could not be reached even after one reconnect.
        case undeliverable(UnixSocketError)
    }

    /// Counters for `status` and tests.
    public struct Statistics: Equatable, Sendable {
        public var sent = 0
        public var droppedQueueFull = 0
        public var undeliverable = 0
        public var reconnects = 0
    }

    public let options: Options
    private let address: UnixSocketAddress
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var socket: UnixSocket?
        var statistics = Statistics()
    }

    /// Prepares the writer; the socket is connected lazily on the first message.
    public init(_ options: Options) throws(UnixSocketError) {
        self.options = options
        self.address = try UnixSocketAddress(options.socketPath)
    }

    deinit {
        state.withLock { $0.socket?.close() }
    }

    public var statistics: Statistics {
        state.withLock { $0.statistics }
    }

    public func write(_ event: LogEvent) {
        send(event.priority, line: event.line)
    }

    /// Sends one already rendered line at `priority`.
    @discardableResult
    public func send(_ priority: LogPriority, line: String) -> Delivery {
        let datagram = SyslogDatagram.bytes(
            pri: options.facility.pri(priority), timestamp: options.clock(),
            identifier: options.identifier, pid: getpid(), message: line)
        let delivery = state.withLock { state in deliver(datagram, state: &state) }
        if case .undeliverable = delivery, options.fallbackToStandardError {
            writeLine("<\(priority.rawValue)>\(line)\n", to: STDERR_FILENO)
        }
        return delivery
    }

    /// One try on the current connection, then one reconnect and retry, like glibc.
    private func deliver(_ datagram: [UInt8], state: inout State) -> Delivery {
        var lastError: UnixSocketError?
        for attempt in 0..<2 {
            if attempt == 1 { state.statistics.reconnects += 1 }
            let socket: UnixSocket
            if let existing = state.socket {
                socket = existing
            } else {
                do {
                    socket = try connect()
                    state.socket = socket
                } catch {
                    lastError = error
                    break
                }
            }
            do {
                _ = try socket.send(datagram, flags: Int32(MSG_DONTWAIT))
                state.statistics.sent += 1
                return .sent
            } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                state.statistics.droppedQueueFull += 1
                return .droppedQueueFull
            } catch {
                lastError = error
                socket.close()
                state.socket = nil
            }
        }
        state.statistics.undeliverable += 1
        return .undeliverable(lastError ?? UnixSocketError(.send, address: address.description, detail: "no attempt was made"))
    }

    private func connect() throws(UnixSocketError) -> UnixSocket {
        let socket = try UnixSocket.make(.datagram)
        do {
            try socket.connect(to: address)
        } catch {
            socket.close()
            throw error
        }
        return socket
    }
}

/// Writes `text` to `descriptor` in one call where possible, so lines from several threads do not
/// interleave; errors are ignored because there is nowhere left to report them.
func writeLine(_ text: String, to descriptor: Int32) {
    try? writeAll(descriptor, Array(text.utf8), describing: "the terminal")
}
