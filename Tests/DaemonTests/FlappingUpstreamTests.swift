import Foundation
import Sandbox
import Testing

extension DeploymentSuites.EndToEnd {
    /// An upstream that keeps failing: the cooldown stops DM from bouncing.
    @Suite("A flapping upstream")
    struct FlappingUpstreamTests {
        /// Writes come in batches between the failures, and the replicas have them before a
        /// primary dies: with asynchronous replication a primary killed right after a write may
        /// keep a transaction no replica received, and could not rejoin its group afterwards
        /// (the old primary here comes back).
        @Test("Killed, restarted, killed: one run, then the cooldown blocks the second (logged), until an operator acknowledges")
        func flapping() async throws {
            // db2 first, then db1: each run has one best candidate.
            try await EndToEnd.withLab(EndToEnd.options(priorities: [5, 10, 0])) { lab in
                try await lab.startWatching()
                var acknowledged = try await lab.sandbox.writeRows(200)
                try await lab.sandbox.waitForReplicas()

                try await lab.sandbox.kill(1)
                try await lab.sandbox.promote(2)
                #expect(await lab.waitForDecision("run-completed", timeout: .seconds(60)), "\(lab.logTail)")
                acknowledged += try await lab.sandbox.writeRows(200)
                // db1 comes back as a replica of db2; then the new upstream dies too, and the
                // HA tool promotes db1 again.
                try await lab.sandbox.restart(1)
                acknowledged += try await lab.sandbox.writeRows(200)
                try await lab.sandbox.waitForReplicas()
                let eventsBefore = try DMSimEvents(lab).events.count
                try await lab.sandbox.kill(2)
                try await lab.sandbox.promote(1)

                #expect(await lab.waitForDecision("failover-blocked", timeout: .seconds(30)), "\(lab.logTail)")
                let blocked = lab.decisions(code: "failover-blocked").last ?? ""
                #expect(blocked.contains("cools down after run"), "\(blocked)")
                acknowledged += try await lab.sandbox.writeRows(200)
                try await Task.sleep(for: .seconds(3))
                #expect(try LabJournal(lab).runs.count == 1, "no second run while the group cools down")
                let commands = try DMSimEvents(lab).changes(from: eventsBefore)
                #expect(commands.isEmpty, "DM was not touched, yet it was sent \(commands)")
                #expect(lab.decisions(code: "failover-blocked").count == 1, "the block is logged once, not on every probe")

                // The operator has looked and acknowledges: now the second run may go.
                let ack = try lab.dmswitchctl(["ack", LabOptions.sourceID])
                #expect(ack.status.isSuccess, "\(ack.stdout)\(ack.stderr)")
                #expect(await lab.waitForDecision("run-completed", count: 2, timeout: .seconds(60)), "\(lab.logTail)")
                acknowledged += try await lab.sandbox.writeRows(200)

                let consistency = try await lab.consistency(acknowledged: acknowledged)
                #expect(consistency.isExact, "\(consistency)")
                let violations = try lab.violations()
                #expect(violations.isEmpty, "\(violations)")
                let journal = try LabJournal(lab)
                #expect(journal.runs.map(\.to) == [lab.journalAddress(of: 2), lab.journalAddress(of: 1)])
                #expect(journal.runs.allSatisfy { journal.finished[$0.id] == .completed })
            }
        }
    }
}
