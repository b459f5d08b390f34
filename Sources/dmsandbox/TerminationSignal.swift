import Glibc
import Posix

/// Waits for SIGINT or SIGTERM without letting either end the process, so the
/// foreground sandbox and the writer clean up first.
///
/// The classic self-pipe: the handler only writes the signal number to a pipe
/// (async-signal-safe); a dedicated thread blocks reading it.
enum TerminationSignal {
    /// Returns the name of the first SIGINT or SIGTERM received from now on.
    static func wait() async -> String {
        let descriptors = terminationPipe
        for number in [SIGINT, SIGTERM] {
            signal(number) { received in
                var byte = UInt8(truncatingIfNeeded: received)
                _ = write(terminationPipe.write, &byte, 1)
            }
        }
        return await DedicatedThread.run(name: "signal wait") { () -> String in
            var byte: UInt8 = 0
            while read(descriptors.read, &byte, 1) != 1 {
                if errno != EINTR { return "a failed signal pipe" }
            }
            return Int32(byte) == SIGINT ? "SIGINT" : "SIGTERM"
        }
    }
}

/// The pipe the signal handler writes to; created before any handler is installed.
private let terminationPipe: (read: Int32, write: Int32) = {
    var descriptors: [Int32] = [-1, -1]
    _ = pipe(&descriptors)
    return (descriptors[0], descriptors[1])
}()
