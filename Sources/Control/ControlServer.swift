import Foundation
import Posix
import Synchronization

/// What the daemon does with an authorised, well-formed request. Called on a connection thread;
/// it may block briefly (e.g. wait for the decision queue) but should not run a whole switch.
public typealias ControlHandler = @Sendable (ControlRequest, ControlPeer) -> ControlReply

/// The daemon's end of the control socket.
///
/// Blocking accept() runs on its own `Thread`, and each admitted connection on another, never on
/// the Swift concurrency pool (a slow client must not starve the daemon's tasks). Bounded in every
/// direction: at most `maximumConnections` connections are served at once (others are answered
/// `busy` immediately), a request may be at most `maximumRequestBytes` long, and reading it and
/// writing the response each have `ioTimeout`, so a client that never sends cannot hold a slot.
public final class ControlServer: Sendable {
    public let configuration: ControlServerConfiguration
    public let authorization: ControlAuthorization
    private let handler: ControlHandler
    private let report: @Sendable (ControlServerEvent) -> Void
    private let state = Mutex(State())
    private let acceptLoopExited = DispatchSemaphore(value: 0)

    private struct State: ~Copyable {
        var listener: ControlSocketSetup.Listener?
        var stopping = false
        var active = 0
    }

    /// Prepares a server; `start()` binds. Resolves the control group now, so a missing group is
    /// reported before anything is created.
    public init(
        configuration: ControlServerConfiguration,
        events: @escaping @Sendable (ControlServerEvent) -> Void = { _ in },
        handler: @escaping ControlHandler
    ) throws(ControlServerError) {
        self.configuration = configuration
        self.authorization = try ControlAuthorization(groupName: configuration.group)
        self.handler = handler
        self.report = events
    }

    /// Binds the socket (directory, stale socket, mode, group) and starts accepting. A server
    /// starts once; calling this again (or after `stop()`) does nothing.
    public func start() throws(ControlServerError) {
        guard state.withLock({ $0.listener == nil && !$0.stopping }) else { return }
        let listener = try ControlSocketSetup.open(configuration, authorization: authorization, report: report)
        state.withLock { $0.listener = listener }
        let thread = Thread { [self] in
            acceptLoop(listener.socket)
            acceptLoopExited.signal()
        }
        thread.name = "dmswitch-control-accept"
        thread.start()
    }

    /// Stops accepting, removes the socket file and waits briefly for the accept thread. Connections
    /// in progress finish on their own, bounded by the I/O timeout.
    public func stop() {
        let listener: ControlSocketSetup.Listener? = state.withLock { state in
            guard !state.stopping, let listener = state.listener else { return nil }
            state.stopping = true
            return listener
        }
        guard let listener else { return }
        listener.socket.shutdown()
        _ = acceptLoopExited.wait(timeout: .now() + .seconds(2))
        listener.socket.close()
        ControlSocketSetup.unlinkIfOurs(listener, path: configuration.socketPath)
    }

    /// Connections being served now.
    public var activeConnections: Int {
        state.withLock { $0.active }
    }

    private func acceptLoop(_ listener: UnixSocket) {
        while true {
            let connection: UnixSocket
            do {
                connection = try listener.accept()
            } catch {
                if state.withLock({ $0.stopping }) { return }
                report(.failed(error))
                // EMFILE and friends: back off instead of spinning; the connection waits in the backlog.
                usleep(100_000)
                continue
            }
            if state.withLock({ $0.stopping }) {
                connection.close()
                return
            }
            admit(connection)
        }
    }

    private func admit(_ connection: UnixSocket) {
        let limit = configuration.maximumConnections
        let admitted = state.withLock { state -> Bool in
            guard state.active < limit else { return false }
            state.active += 1
            return true
        }
        guard admitted else {
            // Never wait on a client we are refusing: one non-blocking write, then close.
            let busy = ControlResponse(.failure(ControlError(
                .busy, "dmswitchd is serving \(limit) control connections already; try again in a moment.")))
            _ = try? connection.send(busy.encodedLine(), flags: Int32(MSG_DONTWAIT))
            connection.close()
            report(.busy(limit: limit))
            return
        }
        let session = ControlConnection(
            socket: connection, configuration: configuration, authorization: authorization, handler: handler,
            report: report)
        let thread = Thread { [self] in
            session.serve()
            connection.close()
            state.withLock { $0.active -= 1 }
        }
        thread.name = "dmswitch-control-connection"
        thread.stackSize = 1 << 20
        thread.start()
    }
}
