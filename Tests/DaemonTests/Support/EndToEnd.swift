import Failover
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

    /// Builds a lab, starts dmswitchd and an application writing at `LabWriter.targetRate`
    /// (already going when `body` runs), and stops the writer whatever happens.
    static func withWritingLab(_ options: LabOptions, _ body: (DeploymentLab, LabWriter) async throws -> Void) async throws {
        try await withLab(options) { lab in
            try await lab.startWatching()
            let writer = try LabWriter(lab: lab)
            defer { writer.stop() }
            #expect(await writer.waitForMoreRows(300), "the writer did not get going: \(writer.writer.summary)")
            try await body(lab, writer)
        }
    }

    /// Stops the writer, then checks the data outcome: every acknowledged row downstream
    /// exactly once, the primary's table and the downstream's the same, no dmsim violation.
    static func expectNothingLost(_ lab: DeploymentLab, _ writer: LabWriter) async throws {
        let summary = try await writer.finish()
        let consistency = try await lab.consistency(acknowledged: summary.acknowledged)
        #expect(consistency.isExact, "\(consistency); the writer \(summary)")
        let violations = try lab.violations()
        #expect(violations.isEmpty, "\(violations)")
    }

    /// Checks that the journal holds exactly one run, from instance `from` to `to`, and that
    /// it completed; returns it.
    @discardableResult
    static func expectOneCompletedRun(_ lab: DeploymentLab, from: Int = 1, to: Int) throws -> RunHeader {
        let journal = try LabJournal(lab)
        let run = try #require(journal.runs.first, "no run in the journal")
        #expect(journal.runs.count == 1, "\(journal.runs.count) runs")
        #expect(run.from == lab.journalAddress(of: from) && run.to == lab.journalAddress(of: to), "\(run.from) → \(run.to)")
        #expect(journal.finished[run.id] == .completed, "\(String(describing: journal.finished[run.id]))")
        return run
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
