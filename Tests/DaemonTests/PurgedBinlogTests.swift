import Foundation
import Sandbox
import Testing

extension DeploymentSuites.EndToEnd {
    /// Candidates that no longer have the binary logs DM needs.
    @Suite("Candidates purged past DM's checkpoint")
    struct PurgedBinlogTests {
        @Test("Every replica purged what DM still needs: no switch, the group held, the purged GTIDs named")
        func purgedPastCheckpoint() async throws {
            try await EndToEnd.withLab(EndToEnd.options()) { lab in
                try await lab.startWatching()
                let written = try await lab.sandbox.writeRows(100)
                #expect(try await lab.consistency(acknowledged: written).isExact)
                let early = try await Self.ids(on: 0, lab)

                // DM's checkpoint stays where it is while the group moves on and the
                // replicas purge the binary logs that hold the difference.
                let pause = try lab.dmctl(["pause-task", LabOptions.taskName])
                #expect(pause.stdout.contains("\"result\": true"), "\(pause.stdout)\(pause.stderr)")
                let checkpoint = try await Self.sequence("SELECT @@GLOBAL.gtid_slave_pos", on: 0, lab)
                _ = try await lab.sandbox.writeRows(200)
                try await lab.sandbox.waitForReplicas()
                let executed = try await Self.sequence("SELECT @@GLOBAL.gtid_binlog_pos", on: 2, lab)
                try await lab.sandbox.purgeBinaryLogs(on: 2)
                try await lab.sandbox.purgeBinaryLogs(on: 3)
                let eventsBefore = try DMSimEvents(lab).events.count

                try await lab.sandbox.kill(1)
                #expect(await lab.waitForDecision("held", timeout: .seconds(30)), "\(lab.logTail)")
                #expect(lab.decisions(code: "no-eligible-candidate").count == 1, "\(lab.logTail)")
                let purged = "has purged binary logs the syncer checkpoint of task \(LabOptions.taskName) still needs: "
                    + "domain 0: \(checkpoint + 1)-\(executed) (gtid-P − gtid-S)"
                let verdicts = lab.decisions(code: "candidate-verdict")
                for replica in [2, 3] {
                    let name = lab.journalAddress(of: replica).description
                    #expect(verdicts.contains { $0.contains("\(name) \(purged)") }, "\(name) \(purged) in \(verdicts)")
                }
                let status = try lab.dmswitchctl(["status", LabOptions.sourceID])
                #expect(status.stdout.contains("held by dmswitchd"), "\(status.stdout)")
                #expect(status.stdout.contains("No failover: No eligible candidate"), "\(status.stdout)")

                try await Task.sleep(for: .seconds(2))
                #expect(try LabJournal(lab).runs.isEmpty, "no run started")
                let commands = try DMSimEvents(lab).changes(from: eventsBefore)
                #expect(commands.isEmpty, "DM was not touched, yet it was sent \(commands)")
                #expect(try await Self.ids(on: 0, lab) == early, "the downstream keeps exactly the rows DM applied before the pause, once each")
                let violations = try lab.violations()
                #expect(violations.isEmpty, "\(violations)")
            }
        }

        /// The ids in `dmsandbox.writes` on instance `number` (0: the downstream), in order.
        static func ids(on number: Int, _ lab: DeploymentLab) async throws -> [UInt64] {
            try await lab.sandbox.query("SELECT id FROM dmsandbox.writes ORDER BY id", on: number)
                .compactMap { $0["id"].flatMap { $0 }.flatMap(UInt64.init) }
        }

        /// The domain-0 sequence number of a MariaDB GTID position read on instance `number`.
        static func sequence(_ sql: String, on number: Int, _ lab: DeploymentLab) async throws -> UInt64 {
            let text = try await lab.sandbox.query(sql, on: number).first?.values.first.flatMap { $0 } ?? ""
            guard let entry = text.split(separator: ",").first(where: { $0.hasPrefix("0-") }),
                  let sequence = entry.split(separator: "-").last.flatMap({ UInt64($0) }) else {
                throw LabTestError("\(sql) on instance \(number) gave \"\(text)\", which has no domain 0")
            }
            return sequence
        }
    }
}
