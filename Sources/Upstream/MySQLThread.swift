import Foundation

/// Runs blocking client-library work on a thread of its own and awaits the result.
///
/// libmariadb calls block for up to their timeouts; on the Swift concurrency
/// pool (two threads on a small machine) one hung server would stall every
/// task. Each call gets a fresh `Thread` registered with the client library
/// (`mysql_thread_init` / `mysql_thread_end`), so async callers (the sandbox,
/// the daemon's one-off checks) can use `MySQLConnection` safely.
public enum MySQLThread {
    /// Runs `body` on a new dedicated thread and returns what it returns or throws.
    public static func run<T: Sendable, E: Error>(
        name: String = "dmswitch mysql",
        _ body: @escaping @Sendable () throws(E) -> T
    ) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            let thread = Thread {
                MariaDBLibrary.beginThread()
                let result: Result<T, E>
                do throws(E) {
                    result = .success(try body())
                } catch {
                    result = .failure(error)
                }
                MariaDBLibrary.endThread()
                continuation.resume(returning: result)
            }
            thread.name = name
            thread.start()
        }
        return try result.get()
    }
}
