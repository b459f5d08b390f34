import Posix

extension ControlClient {
    /// Asks for the status of every group until `condition` holds for it, every `pause`,
    /// for up to `timeout`; the report that satisfied it, or nil. For programs that drive a
    /// daemon (the demo, the benchmark): the exchange blocks, so it runs on its own thread.
    public func waitForStatus(
        timeout: Duration, pause: Duration = .milliseconds(100), until condition: @escaping @Sendable (StatusReport) -> Bool
    ) async -> StatusReport? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let response = try? await DedicatedThread.run(name: "control status") { () throws(ControlClientError) -> ControlResponse in
                try send(ControlRequest(.status(group: nil)))
            }
            if case .success(.status(let report))? = response?.reply, condition(report) { return report }
            try? await Task.sleep(for: pause)
        }
        return nil
    }
}
