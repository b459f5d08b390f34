import Foundation
import Sandbox
import Testing

extension DeploymentSuites.EndToEnd {
    /// A planned switch by an operator, while the old upstream is healthy.
    @Suite("A planned switchover")
    struct SwitchoverTests {
        @Test("dmswitchctl switchover --to db2 under writes: DM reads from db2, zero rows lost, history shows the run and its steps")
        func plannedSwitchover() async throws {
            try await EndToEnd.withWritingLab(EndToEnd.options()) { lab, writer in
                let before = await writer.rate(over: .seconds(2))
                #expect(before >= LabWriter.minimumRate, "the writer reached only \(before) rows/s")
                let eventsBefore = try DMSimEvents(lab).events.count

                let started = ContinuousClock.now
                let rowsBefore = writer.acknowledgedCount
                let reply = try lab.dmswitchctl(["switchover", LabOptions.sourceID, "--to", "db2", "--yes"])
                #expect(reply.status.isSuccess, "\(reply.stdout)\(reply.stderr)")
                #expect(await lab.waitForDecision("run-completed", timeout: .seconds(60)), "\(lab.logTail)")
                let elapsed = ContinuousClock.now - started
                let during = Double(writer.acknowledgedCount - rowsBefore) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                #expect(during >= LabWriter.minimumRate, "the primary stayed writable: \(during) rows/s during the switchover")
                #expect(await writer.waitForMoreRows(200))
                #expect(writer.writer.summary.failedWrites == 0, "the primary never stopped answering: \(writer.writer.summary)")

                try await EndToEnd.expectNothingLost(lab, writer)
                let run = try EndToEnd.expectOneCompletedRun(lab, to: 2)
                #expect(run.kind == .switchover)
                let commands = try DMSimEvents(lab).changes(from: eventsBefore)
                #expect(commands == ["pause-task", "resume-task"], "\(commands)")

                let history = try lab.dmswitchctl(["history"])
                #expect(history.status.isSuccess, "\(history.stderr)")
                let lines = history.stdout.split(separator: "\n").map(String.init)
                #expect(lines.contains { $0.contains(run.id.rawValue) && $0.contains("switchover") && $0.contains("db1") && $0.contains("db2") },
                        "\(history.stdout)")
                #expect(history.stdout.contains("Steps of \(run.id.rawValue):"), "\(history.stdout)")
                for step in run.steps {
                    #expect(lines.contains { $0.contains(" \(step.name) ") && $0.contains("succeeded") }, "\(step.name) in \(history.stdout)")
                }
            }
        }
    }
}
