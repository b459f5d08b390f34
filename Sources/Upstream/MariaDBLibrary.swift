import CMariaDB

/// Process-wide setup of the MariaDB client library.
///
/// `mysql_library_init` is not thread-safe and must run once before any thread
/// calls `mysql_init`; a Swift global is initialized exactly once, lazily and
/// atomically, which is the guarantee the C library asks for.
enum MariaDBLibrary {
    private static let initialized: Bool = mysql_server_init(0, nil, nil) == 0

    /// Initializes the client library if no caller has done so yet.
    /// Returns false when the library could not initialize (out of memory).
    static func ensureInitialized() -> Bool {
        initialized
    }

    /// Registers the calling thread with the client library (`mysql_thread_init`).
    ///
    /// Every dedicated thread that talks to a server calls this first and
    /// `endThread()` last, so the library's per-thread state is freed.
    static func beginThread() {
        _ = ensureInitialized()
        _ = mysql_thread_init()
    }

    /// Releases the calling thread's client library state (`mysql_thread_end`).
    static func endThread() {
        mysql_thread_end()
    }
}
