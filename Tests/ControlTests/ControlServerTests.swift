import Control
import Foundation
import Glibc
import Posix
import Sandbox
import Testing

/// Records the server's events for assertions.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [ControlServerEvent] = []
    func record(_ event: ControlServerEvent) { lock.withLock { recorded.append(event) } }
    var events: [ControlServerEvent] { lock.withLock { recorded } }
}

/// A server with a canned handler in a temporary directory.
struct TestServer {
    let directory: TemporaryDirectory
    let server: ControlServer
    let recorder: EventRecorder
    var socketPath: String { server.configuration.socketPath }
    var client: ControlClient { ControlClient(socketPath: socketPath, timeout: .seconds(20)) }

    static func cannedReply(_ request: ControlRequest, _ peer: ControlPeer) -> ControlReply {
        switch request.command {
        case .status(let group):
            if let group, group != "orders" { return .failure(ControlError(.unknownGroup, "There is no group \"\(group)\".")) }
            return .success(.status(StatusReport(groups: [GroupStatus(name: "orders", upstream: "db-a")])))
        case .hold(let target, _, _):
            return .success(.done(Acknowledgement(message: "Held \(target) for \(peer.owner).", groups: ["orders"])))
        default:
            return .failure(ControlError(.refused, "Not in this test."))
        }
    }

    init(
        directory: TemporaryDirectory? = nil, socketName: String = "control.sock", group: String? = nil,
        socketMode: mode_t = 0o660, maximumConnections: Int = 64, ioTimeout: Duration = .seconds(2),
        handler: @escaping ControlHandler = TestServer.cannedReply
    ) throws {
        self.directory = try directory ?? TemporaryDirectory()
        let recorder = EventRecorder()
        self.recorder = recorder
        server = try ControlServer(
            configuration: ControlServerConfiguration(
                socketPath: self.directory.file(socketName), group: group, socketMode: socketMode, ioTimeout: ioTimeout,
                maximumConnections: maximumConnections),
            events: { recorder.record($0) }, handler: handler)
        try server.start()
    }
}

/// A raw client connection for misbehaving on purpose.
func rawConnection(to path: String) throws -> UnixSocket {
    let socket = try UnixSocket.make(.stream)
    try socket.connect(to: UnixSocketAddress(path))
    return socket
}

/// Reads one response line from a raw connection, or nil on timeout.
func readResponse(_ socket: UnixSocket, timeoutMilliseconds: Int32 = 10_000) -> String? {
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while socket.wait(forWriting: false, milliseconds: timeoutMilliseconds) {
        guard let count = try? socket.receive(into: &chunk, maximum: chunk.count), count > 0 else { break }
        response += chunk[..<count]
        if response.last == UInt8(ascii: "\n") { break }
    }
    return response.isEmpty ? nil : String(decoding: response, as: UTF8.self)
}

@Suite("Control server", .serialized)
struct ControlServerTests {
    @Test("A status request is answered with the handler's report; the handler sees the peer's credentials")
    func statusRoundTrip() throws {
        let seen = EventRecorder()
        let test = try TestServer { request, peer in
            seen.record(.served(peer, request.command.name, id: request.id, error: nil))
            return TestServer.cannedReply(request, peer)
        }
        defer { test.server.stop() }
        let response = try test.client.send(ControlRequest(.status(group: nil), id: "t-1"))
        #expect(response.id == "t-1")
        #expect(response.reply == .success(.status(StatusReport(groups: [GroupStatus(name: "orders", upstream: "db-a")]))))
        guard case .served(let peer, .status, "t-1", nil)? = seen.events.first else {
            Issue.record("the handler was not called with the request: \(seen.events)")
            return
        }
        #expect(peer.uid == getuid())
        #expect(peer.pid == getpid())
        #expect(peer.userName == "root" || getuid() != 0)
        #expect(eventually { test.recorder.events.contains(.served(peer, .status, id: "t-1", error: nil)) })
        let refused = try test.client.send(ControlRequest(.status(group: "nope")))
        #expect(refused.reply == .failure(ControlError(.unknownGroup, "There is no group \"nope\".")))
    }

    @Test("The socket is created 0660 with the configured group, in a new 0750 directory of that group")
    func modeAndGroup() throws {
        let directory = try TemporaryDirectory()
        let test = try TestServer(directory: directory, socketName: "run/dmswitch/control.sock", group: "daemon")
        defer { test.server.stop() }
        let gid = try #require(UserDatabase.groupID(named: "daemon"))
        var info = stat()
        #expect(lstat(test.socketPath, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o7777 == 0o660)
        #expect(info.st_gid == gid)
        #expect(stat(directory.file("run/dmswitch"), &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o750)
        #expect(info.st_gid == gid)
        #expect(try test.client.send(ControlRequest(.status(group: nil))).reply.isSuccess)
    }

    @Test("Stopping removes the socket file; a client then hears 'unreachable'")
    func stopRemovesSocket() throws {
        let test = try TestServer()
        test.server.stop()
        #expect(access(test.socketPath, F_OK) != 0)
        let error = #expect(throws: ControlClientError.self) { try test.client.send(ControlRequest(.status(group: nil))) }
        #expect(error?.isUnreachable == true)
        #expect(error?.description.hasPrefix("dmswitchd is not reachable at \(test.socketPath): it does not exist.") == true)
    }

    @Test("A stale socket left by a dead daemon is replaced")
    func staleSocket() throws {
        let directory = try TemporaryDirectory()
        let stale = try UnixSocket.make(.stream)
        try stale.bind(to: UnixSocketAddress(directory.file("control.sock")))
        stale.close()
        let error = #expect(throws: ControlClientError.self) {
            try ControlClient(socketPath: directory.file("control.sock")).send(ControlRequest(.reload))
        }
        #expect(error?.kind == .unreachable(ECONNREFUSED))
        let test = try TestServer(directory: directory)
        defer { test.server.stop() }
        #expect(try test.client.send(ControlRequest(.status(group: nil))).reply.isSuccess)
    }

    @Test("A live daemon's socket is never taken over")
    func liveSocket() throws {
        let first = try TestServer()
        defer { first.server.stop() }
        let error = #expect(throws: ControlServerError.self) { try TestServer(directory: first.directory) }
        #expect(error?.kind == .inUse(path: first.socketPath))
        #expect(try first.client.send(ControlRequest(.status(group: nil))).reply.isSuccess)
    }

    @Test("A file that is not a socket is left alone and reported")
    func notASocket() throws {
        let directory = try TemporaryDirectory()
        #expect(FileManager.default.createFile(atPath: directory.file("control.sock"), contents: Data("keep".utf8)))
        let error = #expect(throws: ControlServerError.self) { try TestServer(directory: directory) }
        #expect(error?.kind == .notASocket(path: directory.file("control.sock")))
        #expect(try String(contentsOfFile: directory.file("control.sock"), encoding: .utf8) == "keep")
    }

    @Test("Garbage gets bad-request", arguments: ["hello\n", "{\"v\":1\n", "\u{0}\u{1}\u{2}\n", "{}\n"])
    func garbage(line: String) throws {
        let test = try TestServer()
        defer { test.server.stop() }
        let answer = try test.client.exchange(Array(line.utf8))
        let response = try ControlResponse.decode(answer, for: .status)
        guard case .failure(let error) = response.reply else {
            Issue.record("garbage was accepted")
            return
        }
        #expect(error.code == .badRequest)
    }

    @Test("A 10 MB line is refused with bad-request without being read whole")
    func hugeLine() throws {
        let test = try TestServer()
        defer { test.server.stop() }
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: 10 * 1024 * 1024) + [UInt8(ascii: "\n")]
        let answer = try test.client.exchange(line)
        let response = try ControlResponse.decode(answer, for: .status)
        #expect(response.reply == .failure(ControlError(.badRequest, "The request is larger than 65536 bytes.")))
        #expect(eventually { test.recorder.events.contains { if case .rejected = $0 { true } else { false } } })
        #expect(try test.client.send(ControlRequest(.status(group: nil))).reply.isSuccess)
    }

    @Test("A client that never sends cannot hold up others, and is dropped after the I/O timeout")
    func silentClient() throws {
        let test = try TestServer(ioTimeout: .seconds(5))
        defer { test.server.stop() }
        let silent = try rawConnection(to: test.socketPath)
        defer { silent.close() }
        #expect(eventually { test.server.activeConnections == 1 })
        #expect(try test.client.send(ControlRequest(.status(group: nil))).reply.isSuccess)
        #expect(!silent.wait(forWriting: false, milliseconds: 0), "the silent client was answered before its timeout")
        let answer = try #require(readResponse(silent, timeoutMilliseconds: 15_000))
        #expect(answer.contains(#""code":"bad-request""#))
        #expect(answer.contains("No complete request arrived within 5 s."))
        #expect(eventually { test.server.activeConnections == 0 })
    }

    @Test("Over the connection limit a client is told busy at once")
    func busy() throws {
        let test = try TestServer(maximumConnections: 1, ioTimeout: .seconds(10))
        defer { test.server.stop() }
        let holder = try rawConnection(to: test.socketPath)
        defer { holder.close() }
        #expect(eventually { test.server.activeConnections == 1 })
        let response = try test.client.send(ControlRequest(.status(group: nil)))
        guard case .failure(let error) = response.reply else {
            Issue.record("a connection over the limit was served")
            return
        }
        #expect(error.code == .busy)
        #expect(eventually { test.recorder.events.contains(.busy(limit: 1)) })
    }

    @Test("500 clients at once are all answered or told busy, and the server stays up")
    func manyClients() throws {
        let test = try TestServer { request, peer in
            usleep(2_000)
            return TestServer.cannedReply(request, peer)
        }
        defer { test.server.stop() }
        let results = EventRecorder()
        let start = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        let client = test.client
        final class Outcomes: @unchecked Sendable {
            let lock = NSLock()
            var ok = 0, busy = 0
            var other: [String] = []
        }
        let outcomes = Outcomes()
        for _ in 0..<500 {
            finished.enter()
            let thread = Thread {
                start.wait()
                let outcome: String?
                do {
                    let response = try client.send(ControlRequest(.status(group: nil)))
                    switch response.reply {
                    case .success: outcome = nil
                    case .failure(let error): outcome = error.code.rawValue
                    }
                } catch {
                    outcome = "\(error)"
                }
                outcomes.lock.withLock {
                    switch outcome {
                    case nil: outcomes.ok += 1
                    case "busy": outcomes.busy += 1
                    case let other?: outcomes.other.append(other)
                    }
                }
                finished.leave()
            }
            thread.stackSize = 256 * 1024
            thread.start()
        }
        for _ in 0..<500 { start.signal() }
        #expect(finished.wait(timeout: .now() + 120) == .success, "some clients never got an answer")
        outcomes.lock.withLock {
            #expect(outcomes.other.isEmpty, "unexpected outcomes: \(outcomes.other.prefix(5))")
            #expect(outcomes.ok + outcomes.busy == 500)
            #expect(outcomes.ok > 0)
        }
        _ = results
        #expect(try test.client.send(ControlRequest(.status(group: nil))).reply.isSuccess)
        #expect(eventually { test.server.activeConnections == 0 })
    }

    @Test("A handler that answers with the wrong kind of result produces an internal error")
    func wrongResultKind() throws {
        let test = try TestServer { _, _ in .success(.done(Acknowledgement(message: "x"))) }
        defer { test.server.stop() }
        let response = try test.client.send(ControlRequest(.status(group: nil)))
        #expect(response.reply == .failure(ControlError(.internal, "dmswitchd produced the wrong kind of result for status.")))
    }

    @Test("A peer outside root and the control group gets permission-denied and is reported")
    func unauthorizedPeer() throws {
        let setpriv = "/usr/bin/setpriv"
        try #require(FileManager.default.isExecutableFile(atPath: setpriv), "setpriv (util-linux) is missing; `make deps` installs it.")
        try #require(geteuid() == 0, "this test needs root to start a client as nobody; CI runs as root.")
        let directory = try TemporaryDirectory(mode: 0o755)
        // The client binary must be reachable by nobody: copy it into the traversable directory.
        let client = directory.file("dmswitchctl")
        try FileManager.default.copyItem(atPath: try ProductLocator.path(of: "dmswitchctl"), toPath: client)
        let test = try TestServer(directory: directory, group: "daemon", socketMode: 0o666)
        defer { test.server.stop() }
        let nobody = try run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", client, "--socket", test.socketPath, "--json", "status"])
        #expect(nobody.status == .exited(1))
        #expect(nobody.stdout.contains(#""code":"permission-denied""#))
        #expect(nobody.stderr.hasPrefix("Error: "))
        #expect(nobody.stderr.contains("may not use the dmswitchd control socket; it is open to root and members of group daemon."))
        #expect(eventually {
            test.recorder.events.contains { if case .denied(let peer, "status") = $0 { peer.uid == 65534 } else { false } }
        })
        let daemonGroup = try #require(UserDatabase.groupID(named: "daemon"))
        let member = try run(setpriv, ["--reuid=65534", "--regid=\(daemonGroup)", "--clear-groups", client, "--socket", test.socketPath, "--json", "status"])
        #expect(member.status == .exited(0), "a member of the control group was refused: \(member.stderr)")
        #expect(member.stdout.contains(#""name":"orders""#))
    }

    @Test("With the socket's own 0660 mode, an outsider is stopped by EACCES and told which group to join")
    func socketModeKeepsOutsidersOut() throws {
        let setpriv = "/usr/bin/setpriv"
        try #require(FileManager.default.isExecutableFile(atPath: setpriv), "setpriv (util-linux) is missing; `make deps` installs it.")
        try #require(geteuid() == 0, "this test needs root to start a client as nobody; CI runs as root.")
        let directory = try TemporaryDirectory(mode: 0o755)
        let client = directory.file("dmswitchctl")
        try FileManager.default.copyItem(atPath: try ProductLocator.path(of: "dmswitchctl"), toPath: client)
        let test = try TestServer(directory: directory, group: "daemon")
        defer { test.server.stop() }
        let nobody = try run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", client, "--socket", test.socketPath, "status"])
        #expect(nobody.status == .exited(1))
        #expect(nobody.stdout.isEmpty)
        #expect(nobody.stderr == "Error: Permission denied on the control socket \(test.socketPath); run dmswitchctl as root or a member of group daemon.\n")
        #expect(test.recorder.events.isEmpty, "a connection got through the socket's mode")
    }
}

extension ControlReply {
    var isSuccess: Bool {
        if case .success = self { true } else { false }
    }
}
