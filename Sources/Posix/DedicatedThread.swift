import Foundation

/// Runs blocking work on a thread of its own and awaits the result.
///
/// The Swift concurrency pool has one thread per core (two here); a blocking
/// call there (waitpid, a socket read, a libmariadb query) stalls unrelated
/// tasks. Async callers hand such work to `run`, which starts a fresh `Thread`
/// for it, so only the caller waits.
public enum DedicatedThread {
    /// Runs `body` on a new thread named `name` and returns what it returns or throws.
    public static func run<T: Sendable, E: Error>(
        name: String,
        _ body: @escaping @Sendable () throws(E) -> T
    ) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            let thread = Thread {
                Thread.current.name = threadName(name)
                do throws(E) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.start()
        }
        return try result.get()
    }

    /// `name` as Linux can hold it. A name given before `start()` is not applied
    /// on Linux, and one longer than 15 bytes is refused (ERANGE), so threads
    /// name themselves with at most 15 characters (what `top -H` shows).
    public static func threadName(_ name: String) -> String {
        String(name.unicodeScalars.filter(\.isASCII).prefix(15).map(Character.init))
    }
}
