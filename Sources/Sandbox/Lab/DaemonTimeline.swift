import Synchronization

/// dmswitchd's log lines as the lab saw them, in order, for waiting on a
/// decision and for measuring between two of them.
///
/// Positions are indices into the lines seen so far: take `mark()` before
/// causing something, then wait for a code from that mark on, so a decision
/// logged earlier (the previous failover's) is never mistaken for the next.
public final class DaemonTimeline: Sendable {
    private let lines = Mutex<[DaemonLogLine]>([])

    public init() {}

    public func append(_ line: DaemonLogLine) {
        lines.withLock { $0.append(line) }
    }

    /// The position after the last line seen.
    public func mark() -> Int {
        lines.withLock { $0.count }
    }

    /// The lines from `start` (a mark) on.
    public func lines(from start: Int = 0) -> [DaemonLogLine] {
        lines.withLock { Array($0[min(start, $0.count)...]) }
    }

    /// The first line from `start` on that `matches`, with its position.
    public func first(from start: Int = 0, where matches: (DaemonLogLine) -> Bool) -> (position: Int, line: DaemonLogLine)? {
        lines.withLock { lines in
            guard start < lines.count else { return nil }
            for index in start..<lines.count where matches(lines[index]) { return (index, lines[index]) }
            return nil
        }
    }

    /// Waits up to `timeout` for a line from `start` on that `matches`.
    public func wait(from start: Int, timeout: Duration, where matches: @escaping (DaemonLogLine) -> Bool) async -> (position: Int, line: DaemonLogLine)? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = first(from: start, where: matches) { return found }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits up to `timeout` for a decision with one of `codes` from `start` on.
    public func wait(for codes: Set<String>, from start: Int, timeout: Duration) async -> (position: Int, line: DaemonLogLine)? {
        await wait(from: start, timeout: timeout) { line in line.code.map(codes.contains) ?? false }
    }
}
