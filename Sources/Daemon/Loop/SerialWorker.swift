import Foundation
import Posix
import Synchronization

/// A thread of its own that runs blocking jobs one after another.
///
/// Each group gets one: its dmctl calls, evidence and steps happen in order on
/// it, never on the decision thread (which must keep probing every group) and
/// never on the Swift concurrency pool.
final class SerialWorker: Sendable {
    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var running = false
        var stopped = false
    }

    private let queue = Mutex(Queue())
    private let available = DispatchSemaphore(value: 0)
    let name: String

    init(name: String) {
        self.name = name
        let thread = Thread { [self] in
            Thread.current.name = DedicatedThread.threadName(name)
            work()
        }
        thread.start()
    }

    /// Queues `job`; it runs after every job queued before it.
    func submit(_ job: @escaping @Sendable () -> Void) {
        let accepted = queue.withLock { queue -> Bool in
            guard !queue.stopped else { return false }
            queue.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
    }

    /// True while a job runs or waits.
    var isBusy: Bool {
        queue.withLock { $0.running || !$0.jobs.isEmpty }
    }

    /// Lets the queued jobs finish, then ends the thread.
    func stop() {
        queue.withLock { $0.stopped = true }
        available.signal()
    }

    private func work() {
        while true {
            available.wait()
            let next = queue.withLock { queue -> (@Sendable () -> Void)?? in
                if queue.jobs.isEmpty { return queue.stopped ? .some(nil) : nil }
                queue.running = true
                return queue.jobs.removeFirst()
            }
            switch next {
            case .none: continue
            case .some(.none): return
            case .some(.some(let job)):
                job()
                queue.withLock { $0.running = false }
            }
        }
    }
}
