import Foundation
import Sandbox
import Synchronization

/// The application of an end-to-end test: a `ContinuousWriter` on a thread of
/// its own (it blocks in libmariadb), writing to whichever instance the
/// sandbox last made primary, with a way to measure the rate it achieves.
final class LabWriter: Sendable {
    /// The load every test under writes must sustain, in transactions per second.
    static let minimumRate = 200.0
    /// The rate asked of the writer: above the minimum, so a slow moment still clears it.
    static let targetRate = 260.0

    let writer: ContinuousWriter
    private let outcome = Mutex<Result<ContinuousWriter.Summary, SandboxError>?>(nil)

    /// Starts writing at once.
    init(lab: DeploymentLab, rate: Double = LabWriter.targetRate) throws(SandboxError) {
        writer = try ContinuousWriter(directory: lab.sandbox.directory, options: .init(rate: rate))
        let thread = Thread { [self] in
            Thread.current.name = "lab-writer"
            let result = Result { () throws(SandboxError) in try writer.run() }
            outcome.withLock { $0 = result }
        }
        thread.start()
    }

    /// Rows acknowledged so far.
    var acknowledgedCount: Int { writer.summary.acknowledged.count }

    /// Acknowledged rows per second over the next `window`.
    func rate(over window: Duration) async -> Double {
        let before = acknowledgedCount
        let started = ContinuousClock.now
        try? await Task.sleep(for: window)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(acknowledgedCount - before) / seconds
    }

    /// Waits until at least `rows` more rows were acknowledged (writes go on
    /// after a failover), or `timeout` passed; true if they were.
    func waitForMoreRows(_ rows: Int, timeout: Duration = .seconds(30)) async -> Bool {
        let target = acknowledgedCount + rows
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if acknowledgedCount >= target { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Ends the writing without waiting (for `defer`, so a failed test leaves no writer behind).
    func stop() {
        writer.stop()
    }

    /// Stops writing and returns what the writer did.
    func finish() async throws(SandboxError) -> ContinuousWriter.Summary {
        writer.stop()
        while true {
            if let result = outcome.withLock({ $0 }) { return try result.get() }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
