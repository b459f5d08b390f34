import Foundation
import Glibc
import Posix
import Testing

/// A directory under /tmp removed at deinit; short paths keep socket addresses under 108 bytes.
final class TemporaryDirectory: Sendable {
    let path: String

    init(mode: mode_t = 0o700) throws {
        var template = Array("/tmp/dmsw-ctl.XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard created != nil else { throw Errno.current("create a temporary directory") }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        chmod(path, mode)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        _ = try? Subprocess.run(.init(executable: "/bin/rm", arguments: ["-rf", path]))
    }
}

/// A bound datagram socket that collects what senders write (a syslog or notify receiver).
struct DatagramReceiver {
    let socket: UnixSocket
    let address: String

    init(address: String) throws {
        socket = try UnixSocket.make(.datagram)
        try socket.bind(to: UnixSocketAddress(address))
        self.address = address
    }

    /// One datagram, or nil after `timeoutMilliseconds`.
    func receive(timeoutMilliseconds: Int32 = 5_000) throws -> [UInt8]? {
        guard socket.wait(forWriting: false, milliseconds: timeoutMilliseconds) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        let count = try socket.receive(into: &buffer, maximum: buffer.count, flags: Int32(MSG_DONTWAIT))
        return Array(buffer[..<count])
    }

    func receiveText(timeoutMilliseconds: Int32 = 5_000) throws -> String? {
        try receive(timeoutMilliseconds: timeoutMilliseconds).map { String(decoding: $0, as: UTF8.self) }
    }

    func close() { socket.close() }
}

/// Runs a command to completion with a deadline (tests only).
func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, deadline: Duration = .seconds(60))
    throws -> Subprocess.Outcome
{
    try Subprocess.run(.init(executable: executable, arguments: arguments, environment: environment, deadline: deadline))
}

/// Waits until `condition` holds, polling every 20 ms, for at most `timeout`.
func eventually(within timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

/// Runs `body` on a thread of its own and waits for it for at most `timeout`; nil when it did not
/// finish (a blocking call that should not block).
func onThread<T: Sendable>(within timeout: Duration, _ body: @escaping @Sendable () -> T) -> T? {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Thread {
        box.value = body()
        done.signal()
    }.start()
    let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return box.value
}

/// Carries a value from a helper thread; written before the semaphore is signalled, read after.
final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
