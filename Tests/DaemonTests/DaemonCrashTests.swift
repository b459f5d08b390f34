import Failover
import Foundation
import Glibc
import Sandbox
import Testing

extension DeploymentSuites.EndToEnd {
    /// dmswitchd killed in the middle of a run and started again.
    @Suite("A daemon killed in the middle of a run")
    struct DaemonCrashTests {
        @Test("SIGKILL while resume-task runs, then a restart: the run completes exactly once, each DM command sent once")
        func killedMidRun() async throws {
            try await EndToEnd.withWritingLab(EndToEnd.options()) { lab, writer in
                let eventsBefore = try DMSimEvents(lab).events.count
                // The run's resume-task hangs (as if DM-master stopped answering) until killed.
                let fault = try lab.dmsim(["sim-fault", "--command", "resume-task", "--kind", "hang", "--count", "1"])
                #expect(fault.status.isSuccess, "\(fault.stderr)")

                try await lab.sandbox.kill(1)
                try await lab.sandbox.promote(2)
                #expect(await Self.waitUntilResumeHangs(lab), "\(lab.logTail)")
                lab.signalDaemon(SIGKILL)
                #expect(lab.waitForDaemonExit(timeout: .seconds(10)) == .signaled(SIGKILL))
                #expect(lab.endStrayDMCommands().count == 1, "the hung resume-task outlived the daemon")
                #expect(try lab.dmsim(["sim-fault", "--clear"]).status.isSuccess)

                try await lab.startDaemon()
                #expect(await lab.waitForDecision("run-completed", timeout: .seconds(60)), "\(lab.logTail)")
                #expect(await writer.waitForMoreRows(200))

                try await EndToEnd.expectNothingLost(lab, writer)
                let run = try EndToEnd.expectOneCompletedRun(lab, to: 2)
                let journal = try LabJournal(lab)
                for (step, intents, outcomes) in journal.mutatingStepCounts(of: run) {
                    #expect(outcomes == 1, "\(step): \(outcomes) outcomes")
                    // The interrupted step: its intent before the crash, and one more after the
                    // restart found the task still Paused; every other step exactly once.
                    #expect(intents == (step.hasSuffix("resume-task") ? 2 : 1), "\(step): \(intents) intents")
                }
                #expect(lab.decisions(code: "run-started").count == 1)
                #expect(lab.decisions(code: "run-resumed").count == 1)
                #expect(lab.decisions(code: "unfinished-step").contains { $0.contains("step=resume-task") })

                let events = try DMSimEvents(lab)
                #expect(events.changes(from: eventsBefore) == ["pause-task", "resume-task"], "each DM command once")
                #expect(events.events.dropFirst(eventsBefore).filter { $0.kind == "fault" }.map(\.command) == ["resume-task"])
            }
        }

        /// Waits until the run's resume-task intent is logged and dmsim has taken the hang.
        static func waitUntilResumeHangs(_ lab: DeploymentLab) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let intent = lab.decisions(code: "step-intent").contains { $0.contains("step=resume-task") }
                let hung = (try? DMSimEvents(lab).events.contains { $0.kind == "fault" && $0.command == "resume-task" }) ?? false
                if intent && hung { return true }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return false
        }
    }
}
