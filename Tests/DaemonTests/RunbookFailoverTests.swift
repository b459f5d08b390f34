import Failover
import Foundation
import Sandbox
import Testing

extension DeploymentSuites.EndToEnd {
    /// DESIGN.md's four runbooks, each on a real deployment under writes: the
    /// upstream is killed, the group's HA tool promotes db2, dmswitchd moves DM.
    @Suite("A killed upstream under writes, for each runbook")
    struct RunbookFailoverTests {
        /// One runbook: how the lab is built, the DM commands it must send, in order, and the
        /// steps it finds already done.
        struct Case: Sendable, CustomTestStringConvertible {
            var scenario: LabOptions.Scenario
            var dmVersion: String
            var runbook: RunbookKind
            var commands: [String]
            var alreadyDone: [String] = []

            var testDescription: String { runbook.rawValue }
        }

        static let cases = [
            Case(scenario: .vip, dmVersion: "v6.5.0", runbook: .v2VIP, commands: ["pause-task", "resume-task"]),
            Case(scenario: .address, dmVersion: "v6.5.0", runbook: .v2Address,
                 commands: ["pause-task", "stop-task", "operate-source stop", "operate-source create", "start-task"]),
            // The relay is Paused by the dead upstream's error, which DM resumes by itself: it is
            // paused by command, so it cannot reconnect through the moved VIP before the switch.
            Case(scenario: .vip, dmVersion: "v1.0.7", runbook: .v1VIP,
                 commands: ["pause-relay", "pause-task", "switch-relay-master", "resume-relay", "resume-task"]),
            Case(scenario: .address, dmVersion: "v1.0.7", runbook: .v1Address, commands: ["pause-task", "stop-task", "start-task"]),
        ]

        @Test("kill -9 of the upstream: DM follows the promoted replica, every acknowledged row arrives once, no violation",
              arguments: cases)
        func killedUpstream(_ runbook: Case) async throws {
            try await EndToEnd.withWritingLab(EndToEnd.options(scenario: runbook.scenario, dmVersion: runbook.dmVersion)) { lab, writer in
                let before = await writer.rate(over: .seconds(2))
                #expect(before >= LabWriter.minimumRate, "the writer reached only \(before) rows/s before the failure")
                let eventsBefore = try DMSimEvents(lab).events.count

                try await lab.sandbox.kill(1)
                try await lab.sandbox.promote(2)
                #expect(await lab.waitForDecision("run-completed", timeout: .seconds(60)), "\(lab.logTail)")
                #expect(await writer.waitForMoreRows(100), "no writes reached the new primary: \(writer.writer.summary)")
                let after = await writer.rate(over: .seconds(2))
                #expect(after >= LabWriter.minimumRate, "the writer reached only \(after) rows/s on the new primary")

                try await EndToEnd.expectNothingLost(lab, writer)
                let run = try EndToEnd.expectOneCompletedRun(lab, to: 2)
                #expect(run.runbook == runbook.runbook)
                let commands = try DMSimEvents(lab).changes(from: eventsBefore)
                #expect(commands == runbook.commands, "each DM command once, in the runbook's order: \(commands)")
                let skipped = lab.decisions(code: "step-already-done").compactMap { line in
                    line.split(separator: " ").first { $0.hasPrefix("step=") }.map { String($0.dropFirst("step=".count)) }
                }
                #expect(skipped == runbook.alreadyDone, "\(lab.logTail)")
            }
        }
    }
}
