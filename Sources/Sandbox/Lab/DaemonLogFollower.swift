import Foundation
import Glibc
import Synchronization

/// Follows dmswitchd's foreground log as it grows, handing each complete line,
/// stamped with when it was seen, to a handler on the follower's own thread.
///
/// A file and a short poll rather than a pipe: the lab keeps the log in a file
/// (tests read it whole), and a 5 ms poll costs one read(2) when nothing changed
/// while bounding the error of every timing the demo and the benchmark print.
public final class DaemonLogFollower: Sendable {
    public let path: String
    private let interval: Duration
    private let handler: @Sendable (DaemonLogLine) -> Void
    private let state = Mutex(State())
    private let done = DispatchSemaphore(value: 0)

    private struct State {
        var stopping = false
        var started = false
    }

    /// A follower of `path`; nothing is read before `start`.
    public init(path: String, interval: Duration = .milliseconds(5), handler: @escaping @Sendable (DaemonLogLine) -> Void) {
        self.path = path
        self.interval = interval
        self.handler = handler
    }

    /// Starts the thread; lines already in the file are delivered first unless `fromEnd`.
    public func start(fromEnd: Bool = false) {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        let offset = fromEnd ? Self.size(of: path) : 0
        let thread = Thread { [self] in
            Thread.current.name = "log follower"
            follow(from: offset)
            done.signal()
        }
        thread.start()
    }

    /// Delivers what is complete in the file, then stops the thread.
    public func stop() {
        let running = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return state.started && !state.stopping
        }
        if running { done.wait() }
    }

    private func follow(from start: UInt64) {
        var pending = Data()
        var handle: FileHandle?
        defer { handle?.closeFile() }
        let pause = UInt32(clamping: interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000)
        while true {
            let stopping = state.withLock { $0.stopping }
            if handle == nil, let opened = FileHandle(forReadingAtPath: path) {
                opened.seek(toFileOffset: start)
                handle = opened
            }
            if let chunk = handle?.readDataToEndOfFile() { pending.append(chunk) }
            let now = ContinuousClock.now
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                handler(DaemonLogLine(text: line, seenAt: now))
            }
            if stopping { return }
            usleep(max(1, pause))
        }
    }

    private static func size(of path: String) -> UInt64 {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
    }
}
