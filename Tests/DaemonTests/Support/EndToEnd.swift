import Sandbox
import Synchronization
import Testing

extension DeploymentSuites {
    /// The parent of every end-to-end suite.
    ///
    /// Each lab is a whole deployment (four MariaDB servers, HAProxy, dmsim,
    /// dmswitchd) and the machine has two cores: nested in `DeploymentSuites`
    /// (`.serialized`, which applies to every nested suite), exactly one lab runs at
    /// a time even though Swift Testing runs separate suites in parallel.
    /// `withLab` checks that it holds for these suites.
    @Suite("dmswitchd end to end")
    enum EndToEnd {}
}

/// Short for the end-to-end parent suite, whose helpers every end-to-end test calls.
typealias EndToEnd = DeploymentSuites.EndToEnd

extension DeploymentSuites.EndToEnd {
    private static let labsRunning = Atomic<Int>(0)

    /// Builds a lab, runs `body` on it, and shuts it down whatever happens.
    static func withLab(_ options: LabOptions, _ body: (DeploymentLab) async throws -> Void) async throws {
        let running = labsRunning.add(1, ordering: .sequentiallyConsistent).newValue
        defer { labsRunning.subtract(1, ordering: .sequentiallyConsistent) }
        #expect(running == 1, "\(running) labs run at once; the end-to-end suites must run one at a time")
        let lab = try await DeploymentLab.start(options)
        defer { lab.shutdown() }
        try await body(lab)
    }

    /// The options every end-to-end lab starts from: probes every 500 ms, so a
    /// failure is confirmed within about two seconds. db2 is the preferred candidate.
    static func options(
        scenario: LabOptions.Scenario = .vip, dmVersion: String = "v6.5.0", priorities: [Int] = [0, 10, 0]
    ) -> LabOptions {
        LabOptions(scenario: scenario, dmVersion: dmVersion, priorities: priorities, detectionInterval: "500ms")
    }
}

extension DeploymentLab {
    /// The end of the decision log, for failure messages.
    var logTail: String { String(decisionLog().suffix(6000)) }
}
