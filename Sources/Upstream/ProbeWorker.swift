import Dispatch
import Foundation
import Posix
import Synchronization

/// One instance's dedicated probe thread.
///
/// The thread waits for a request (`request`) or its monitoring cadence, runs
/// `InstanceProbe.observe()`, and hands the observation to everyone who asked
/// since the probe started, plus the monitoring handler. A hung server blocks
/// only this thread; a deadline timer (on Dispatch, not the Swift concurrency
/// pool: it only shuts a socket down) interrupts a probe that overruns.
final class ProbeWorker: Sendable {
    typealias Handler = @Sendable (InstanceObservation) -> Void

    let probe: InstanceProbe
    private let state = Mutex(WorkerState())
    private let wakeup = DispatchSemaphore(value: 0)

    private struct WorkerState {
        var waiting: [CheckedContinuation<InstanceObservation, Never>] = []
        var interval: Duration?
        var handler: Handler?
        var nextDue: ContinuousClock.Instant?
        var stopped = false
        /// Counts probes; the deadline timer of probe n acts only while n runs.
        var generation: UInt64 = 0
        var running = false
    }

    private enum Step {
        case probe([CheckedContinuation<InstanceObservation, Never>], Handler?, UInt64)
        case wait(ContinuousClock.Instant?)
        case stop([CheckedContinuation<InstanceObservation, Never>])
    }

    init(probe: InstanceProbe) {
        self.probe = probe
    }

    /// Starts the thread. Called once.
    func start() {
        // The address is the useful part of the thread name; Linux keeps 15 characters.
        let name = String(probe.address.description.suffix(15))
        let thread = Thread { [self] in
            Thread.current.name = DedicatedThread.threadName(name)
            MariaDBLibrary.beginThread()
            run()
            probe.close()
            MariaDBLibrary.endThread()
        }
        thread.start()
    }

    /// Asks for a probe that starts after this call; the continuation gets its observation.
    func request(_ continuation: CheckedContinuation<InstanceObservation, Never>) {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.waiting.append(continuation)
            return true
        }
        if accepted {
            wakeup.signal()
        } else {
            continuation.resume(returning: stoppedObservation())
        }
    }

    /// Probes every `interval` (from the start of one probe to the start of the
    /// next; a probe that overruns is followed at once) and calls `handler` with
    /// each observation. Nil stops monitoring.
    func monitor(every interval: Duration?, handler: Handler?) {
        state.withLock { state in
            state.interval = interval
            state.handler = interval == nil ? nil : handler
            state.nextDue = interval == nil ? nil : ContinuousClock.now
        }
        wakeup.signal()
    }

    /// Ends the thread after the probe in progress (interrupted now).
    func stop() {
        let running = state.withLock { state -> Bool in
            state.stopped = true
            return state.running
        }
        if running { probe.interrupt() }
        wakeup.signal()
    }

    private func run() {
        while true {
            let now = ContinuousClock.now
            let step = state.withLock { state -> Step in
                if state.stopped {
                    defer { state.waiting = [] }
                    return .stop(state.waiting)
                }
                let due = state.nextDue.map { $0 <= now } ?? false
                guard !state.waiting.isEmpty || due else { return .wait(state.nextDue) }
                defer { state.waiting = [] }
                state.generation += 1
                state.running = true
                if let interval = state.interval {
                    state.nextDue = now + interval
                }
                return .probe(state.waiting, state.handler, state.generation)
            }
            switch step {
            case .stop(let waiting):
                for continuation in waiting { continuation.resume(returning: stoppedObservation()) }
                return
            case .wait(let until):
                if let until {
                    let nanoseconds = max(0, (until - now).nanoseconds)
                    _ = wakeup.wait(timeout: .now() + .nanoseconds(Int(clamping: nanoseconds)))
                } else {
                    wakeup.wait()
                }
            case .probe(let waiting, let handler, let generation):
                armDeadline(generation: generation)
                let observation = probe.observe()
                state.withLock { $0.running = false }
                for continuation in waiting { continuation.resume(returning: observation) }
                handler?(observation)
            }
        }
    }

    private func armDeadline(generation: UInt64) {
        let deadline = probe.options.effectiveDeadline
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: deadline.nanoseconds))) { [self] in
            let overdue = state.withLock { $0.running && $0.generation == generation }
            if overdue { probe.interrupt() }
        }
    }

    private func stoppedObservation() -> InstanceObservation {
        InstanceObservation(
            instance: probe.address, startedAt: .now, duration: .zero,
            outcome: .failed(ProbeFailure(kind: .other, message: "Could not probe \(probe.address): the observation pool was shut down."))
        )
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
