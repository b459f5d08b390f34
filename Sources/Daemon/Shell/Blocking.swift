import Dispatch
import Synchronization

/// Waits on the calling thread for an async operation that does no blocking
/// work itself.
///
/// The Upstream module's probes do their blocking on their own threads and
/// hand the result back through a continuation; a group's decision thread
/// waits here for that answer. The calling thread must never be one of the
/// concurrency pool's (the daemon only calls this from its own threads).
func waitFor<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
    let box = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let value = await operation()
        box.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    // The task stored the value before signalling.
    return box.withLock { $0! }
}
