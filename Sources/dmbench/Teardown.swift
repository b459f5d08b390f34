import Synchronization

/// What the benchmark has started, to be taken down in reverse order — after each part,
/// on failure, and from the SIGINT/SIGTERM handler (another thread).
final class Teardown: Sendable {
    private let actions = Mutex<[@Sendable () -> Void]>([])

    func add(_ action: @escaping @Sendable () -> Void) {
        actions.withLock { $0.append(action) }
    }

    /// Runs every action once, newest first.
    func run() {
        let taken = actions.withLock { actions -> [@Sendable () -> Void] in
            defer { actions = [] }
            return actions
        }
        for action in taken.reversed() { action() }
    }
}
