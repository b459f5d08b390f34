import Foundation
import Sandbox
import Testing

extension DeploymentSuites.EndToEnd {
    /// The preferred candidate has received everything but not applied it when the upstream dies.
    @Suite("A lagging preferred candidate")
    struct LaggingCandidateTests {
        @Test("db2's SQL thread stopped under writes, the upstream killed: dmswitchd waits for db2, which then catches up and takes DM, nothing lost")
        func waitsForCatchUp() async throws {
            try await EndToEnd.withLab(EndToEnd.options()) { lab in
                try await lab.startWatching()
                let writer = try LabWriter(lab: lab)
                defer { writer.stop() }
                #expect(await writer.waitForMoreRows(200))
                try await lab.sandbox.stopReplicaSQLThread(2)
                #expect(await writer.waitForMoreRows(300), "db2 receives these and does not apply them")

                try await lab.sandbox.kill(1)
                #expect(await lab.waitForDecision("waiting-for-catch-up", timeout: .seconds(30)), "\(lab.logTail)")
                let waiting = lab.decisions(code: "waiting-for-catch-up").first ?? ""
                #expect(waiting.contains(lab.journalAddress(of: 2).description), "it waits for db2: \(waiting)")
                #expect(lab.decisions(code: "candidate-verdict").contains { $0.contains("has its SQL thread stopped") }, "\(lab.logTail)")
                try await Task.sleep(for: .seconds(2))
                #expect(lab.decisions(code: "run-completed").isEmpty, "nothing moves while db2 lags")
                #expect(lab.decisions(code: "step-intent").allSatisfy { !$0.contains("step=pause-task") }, "DM is not paused while waiting")

                // The HA tool starts the applier (as it does before promoting).
                try await lab.sandbox.startReplicaSQLThread(2)
                #expect(await lab.waitForDecision("run-completed", timeout: .seconds(60)), "\(lab.logTail)")
                try await lab.sandbox.promote(2)
                #expect(await writer.waitForMoreRows(200), "no writes reached the new primary: \(writer.writer.summary)")
                let summary = try await writer.finish()

                let consistency = try await lab.consistency(acknowledged: summary.acknowledged)
                #expect(consistency.isExact, "\(consistency)")
                let violations = try lab.violations()
                #expect(violations.isEmpty, "\(violations)")
                let journal = try LabJournal(lab)
                #expect(journal.runs.map(\.to) == [lab.journalAddress(of: 2)])
                #expect(journal.runs.first.flatMap { journal.finished[$0.id] } == .completed)
            }
        }
    }
}
