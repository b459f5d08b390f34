import Foundation
import Glibc
import Synchronization
import Testing
@testable import Posix

@Suite("Free ports, signals, Unix socket exchanges, dedicated threads")
struct SocketAndSignalTests {
    @Test("Free ports are distinct within a process and can be bound")
    func freePorts() throws {
        let ports = try (0..<5).map { _ in try FreePort.allocate() }
        #expect(Set(ports).count == ports.count)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = ports[0].bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(bound == 0)
        #expect(throws: Errno.self) { try FreePort.allocate(host: "not-an-address") }
    }

    @Test("Free ports come from below the ephemeral range, where client connections take no ports")
    func freePortsAvoidEphemeralRange() throws {
        let range = try #require(FreePort.quietRange, "this machine's ephemeral range leaves no room below it")
        if let ephemeral = FreePort.ephemeralRange { #expect(range.upperBound < ephemeral.lowerBound) }
        let ports = try (0..<20).map { _ in try FreePort.allocate() }
        #expect(ports.allSatisfy { range.contains($0) }, "\(ports)")
    }

    @Test("A process that ended and was reaped no longer exists; signalling it is an error")
    func signals() throws {
        #expect(ProcessSignal.exists(getpid()))
        #expect(ProcessSignal.isRunning(getpid()))
        let child = try Subprocess.spawn(.init(executable: "/bin/sleep", arguments: ["30"]))
        #expect(ProcessSignal.isRunning(child.pid))
        try ProcessSignal.send(SIGKILL, to: child.pid)
        _ = child.wait()
        #expect(!ProcessSignal.exists(child.pid))
        #expect { try ProcessSignal.send(SIGCONT, to: child.pid) } throws: { ($0 as? Errno)?.code == ESRCH }
        #expect(throws: Errno.self) { try ProcessSignal.send(SIGCONT, to: 0) }
    }

    @Test("A request/response exchange over a Unix socket returns what the peer wrote before closing")
    func unixExchange() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmswitch-unix-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("echo.sock").path
        // A one-shot peer on a thread of this process: answers once, then closes.
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        #expect(listen(listener, 1) == 0)
        let peer = Thread {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = read(client, &buffer, buffer.count)
            let answer = Array("got: ".utf8) + buffer.prefix(max(0, count))
            _ = answer.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            close(client)
        }
        peer.start()
        let answer = try await DedicatedThread.run(name: "exchange") { () throws(UnixSocketError) -> String in
            try UnixSocketClient.exchange(path: path, request: "show info\n")
        }
        #expect(answer == "got: show info\n")
        #expect(throws: UnixSocketError.self) { try UnixSocketClient.exchange(path: path + ".missing", request: "x") }
    }

    @Test("Dedicated-thread work runs on threads of its own: more blocked bodies at once than the pool has threads")
    func dedicatedThread() async throws {
        // Six bodies that each block until all six are running: on the
        // concurrency pool (one thread per core) this could never complete.
        let running = Counter()
        let all = 6
        let reached = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<all {
                group.addTask {
                    await DedicatedThread.run(name: "barrier \(index)") { () -> Bool in
                        running.increment()
                        let deadline = ContinuousClock.now + .seconds(10)
                        while running.value < all {
                            if ContinuousClock.now > deadline { return false }
                            usleep(1_000)
                        }
                        return true
                    }
                }
            }
            var results: [Bool] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(reached == Array(repeating: true, count: all))
        #expect(DedicatedThread.threadName("probe 127.0.0.1:3306") == "probe 127.0.0.1")
        await #expect(throws: Errno.self) {
            try await DedicatedThread.run(name: "failing") { () throws(Errno) -> Int in throw Errno(EIO, "fail on purpose") }
        }
    }
}

/// A counter shared between threads.
private final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
