import Foundation

/// Runs blocking work (a writer's loop, starting etcd, which polls with sleeps) on a thread of
/// its own and suspends until it ends. On the concurrency pool — two threads on a two-core
/// machine — two suites each blocking one would leave no thread to resume anything, and both
/// would hang.
func onOwnThread<Value: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = name
        thread.start()
    }
}
