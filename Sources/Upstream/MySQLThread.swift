import Posix

/// Runs blocking client-library work on a thread of its own and awaits the result.
///
/// libmariadb calls block for up to their timeouts; on the Swift concurrency
/// pool one hung server would stall every task. Each call gets a fresh thread
/// (`DedicatedThread`) registered with the client library (`mysql_thread_init`
/// / `mysql_thread_end`), so async callers (the sandbox, the daemon's one-off
/// checks) can use `MySQLConnection` safely.
public enum MySQLThread {
    /// Runs `body` on a new dedicated thread and returns what it returns or throws.
    public static func run<T: Sendable, E: Error>(
        name: String = "dmswitch mysql",
        _ body: @escaping @Sendable () throws(E) -> T
    ) async throws(E) -> T {
        try await DedicatedThread.run(name: name) { () throws(E) -> T in
            MariaDBLibrary.beginThread()
            defer { MariaDBLibrary.endThread() }
            return try body()
        }
    }
}
