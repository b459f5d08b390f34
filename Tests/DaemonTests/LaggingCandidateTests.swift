import Foundation
import Sandbox
import Testing

extension DeploymentSuites.EndToEnd {
    /// The preferred candidate has received everything but not applied it when the upstream dies.
    @Suite("A lagging preferred candidate")
    struct LaggingCandidateTests {
        @Test("db2's SQL thread stopped under writes, the upstream killed: dmswitchd waits for db2, which then catches up and takes DM, nothing lost")
        func waitsForCatchUp() async throws {
            try await EndToEnd.withWritingLab(EndToEnd.options()) { lab, writer in
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

                try await EndToEnd.expectNothingLost(lab, writer)
                try EndToEnd.expectOneCompletedRun(lab, to: 2)
            }
        }
    }
}
