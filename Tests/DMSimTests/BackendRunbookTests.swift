import DM
import Foundation
import GTID
import Sandbox
import Testing
import Upstream

extension DMSimIntegration {
    /// The four runbooks of DESIGN.md, step by step by hand: module DM's dmctl backend drives
    /// dmsim, whose subtasks really replicate from a Sandbox group (db1 primary, db2 and db3
    /// replicas) into the downstream. In each, the group fails over first (db1 killed with
    /// kill -9, db2 promoted by the harness), then DM is switched to db2.
    ///
    /// The harness waits until the replicas hold db1's rows before killing it, so the
    /// promotion loses no acknowledged row (asynchronous replication would otherwise lose
    /// a tail that no replica received — the promotion's loss, not DM's). Every test then
    /// requires the downstream to hold exactly the new primary's rows, each once, dmsim to
    /// have seen no subtask read from two servers, and the exact dmctl command sequence.
    @Suite("The dmctl backend drives dmsim through the four runbooks")
    struct BackendRunbookTests {
        private static let source = Lab.sourceID
        private static let task = Lab.task

        /// A lab with db1–db3 and the downstream, the backend for `version`, and the checks.
        private struct Run {
            let lab: Lab
            let dm: BackendDriver
            let checks: RunbookChecks
            let v1: Bool
            /// Rows the downstream must hold once DM reads from db2.
            var rows = 0

            init(version: String, vip: Bool) async throws {
                lab = try await Lab.start(version: version, instances: 3, vip: vip)
                dm = try BackendDriver(lab: lab, version: version)
                checks = try RunbookChecks(lab: lab, dm: dm)
                v1 = version.hasPrefix("v1.")
            }

            /// Rows DM copies from db1; then the group's HA tool fails over (db1 dies with
            /// everything on the replicas, db2 is promoted and db3 follows it), and db2 takes
            /// rows while DM still points at db1. Forgets the setup's dmctl commands.
            mutating func writeAndFailOver(through target: Sandbox.WriteTarget) async throws {
                rows += try await lab.write(5, through: target).count
                try await lab.waitInSync()
                try await lab.sandbox.waitForReplicas()
                try await lab.sandbox.kill(1)
                try await lab.sandbox.promote(2)
                rows += try await lab.write(3, through: .instance(2)).count
                dm.clearTranscript()
            }

            /// query-status and the safety model for db2, which must qualify.
            func requireQualifies(_ comment: Comment) async throws -> RunbookChecks.Verdict {
                let verdict = try await checks.check(candidate: 2, v1: v1)
                try #require(verdict.qualifies, "\(comment): \(verdict)")
                return verdict
            }

            /// Steps 1–4 of both address runbooks: check, pause-task (it flushes the
            /// checkpoint, and a stopped task would vanish from query-status), check again.
            func checkPauseRecheck() async throws {
                _ = try await requireQualifies("db2 should qualify")
                _ = try await dm.call { try $0.pauseTask(BackendRunbookTests.task, source: nil) }
                _ = try await requireQualifies("db2 should still qualify with the task paused")
            }

            /// After the switch: rows through `target` reach the downstream, which then holds
            /// exactly db2's rows, each once; dmsim saw no violation; the subtask's connection
            /// reads db2's own port when `directly`.
            func verifyAfterSwitch(through target: Sandbox.WriteTarget, directly: Bool) async throws {
                let total = rows + (try await lab.write(4, through: target)).count
                try await lab.waitInSync(with: 2)
                #expect(try await lab.rowCount(0) == total)
                #expect(try await lab.fingerprint(0) == lab.fingerprint(2))
                let violations = try await lab.violations()
                #expect(violations.exitCode == 0, "dmsim saw a subtask read from two servers: \(violations.stdout)")
                #expect(violations.stdout.isEmpty)
                if directly {
                    let connection = try await lab.sandbox.query("SHOW SLAVE 't1.mysql-replica-01' STATUS", on: 0).first
                    #expect(connection?["Master_Port"] == String(try lab.address(2).port))
                }
            }
        }

        @Test("DM v6.5, VIP: query-status, check, pause-task -s, re-check, move the VIP, identity through it, resume-task -s, Running",
              arguments: [false, true])
        func v2VIP(relay: Bool) async throws {
            var run = try await Run(version: "v6.5.0", vip: true)
            defer { run.checks.shutdown() }
            let (lab, dm) = (run.lab, run.dm)
            let sourceFile = try lab.sourceFile(try lab.vip, relay: relay)
            _ = try await dm.call { try $0.createSource(file: sourceFile) }
            let taskFile = try lab.taskFile()
            _ = try await dm.call { try $0.startTask(file: taskFile, source: nil) }
            try await run.writeAndFailOver(through: .vip)

            // 1–2. query-status (gtid-S, and the relay's GTIDs when relay runs) and the
            // safety model for db2.
            let verdict = try await run.requireQualifies("db2 should qualify")
            #expect(verdict.taken.first?.gtidS?.description == (try await lab.checkpoint()))
            #expect((verdict.taken.first?.relay != nil) == relay)
            // 3. pause-task for every task of the source.
            let paused = try await dm.call { try $0.pauseTasks(onSource: Self.source) }
            #expect(paused.tasks.map(\.task) == [Self.task])
            // 4. Check again on the paused checkpoint.
            _ = try await run.requireQualifies("db2 should still qualify with the task paused")
            let whilePaused = try await dm.call { try $0.queryStatus(task: Self.task) }
            #expect(whilePaused.tasks.map(\.stage) == [.paused])
            // 5. Move the VIP (the group's operator hook; here the sandbox's HAProxy).
            try await lab.sandbox.moveVIP(to: 2)
            // 6. The VIP answers as db2 before DM reconnects.
            let throughVIP = try await run.checks.state(at: try lab.vip)
            #expect(throughVIP.serverIdentity == (try await run.checks.candidate(2)).serverIdentity)
            #expect(throughVIP.serverIdentity == "0-2")
            // 7. resume-task for every task of the source.
            let resumed = try await dm.call { try $0.resumeTasks(onSource: Self.source) }
            #expect(resumed.tasks.map(\.task) == [Self.task])
            // 8. Running.
            let running = try await run.checks.waitUntilRunning()
            #expect(running.tasks.map(\.worker) == ["dm-worker-1"])

            try await run.verifyAfterSwitch(through: .vip, directly: false)
            #expect(dm.commands == [
                .queryStatus(task: nil, source: Self.source), .pauseTasks(source: Self.source),
                .queryStatus(task: nil, source: Self.source), .queryStatus(task: Self.task, source: nil),
                .resumeTasks(source: Self.source), .queryStatus(task: Self.task, source: nil), .queryStatus(task: nil, source: nil),
            ])
            // DM v2+ relay reconnects by itself (within a retry interval of the resume) and,
            // having read db2's rows, sits in a new sub-directory for db2.
            let settled = try await dm.call { try $0.queryStatus(task: Self.task) }
            #expect(settled.tasks.map { $0.relaySubDir?.description } == [relay ? "0-2.000002" : nil])
        }

        /// DM v5.4 echoes `op: Stop` for stop-task, v6+ `op: Delete` (dm-interface §1.1); the
        /// v7.5 run stops every task of the source in dmctl's batch form.
        @Test("DM v2+, address: check, pause-task, re-check, stop-task, operate-source stop, rewrite the source file, operate-source create, start-task",
              arguments: [("v5.4.0", false), ("v7.5.0", true)])
        func v2Address(version: String, batch: Bool) async throws {
            var run = try await Run(version: version, vip: false)
            defer { run.checks.shutdown() }
            let (lab, dm) = (run.lab, run.dm)
            let db1 = try lab.address(1)
            let db2 = try lab.address(2)
            let sourceFile = try lab.sourceFile(db1)
            let taskFile = try lab.taskFile()
            _ = try await dm.call { try $0.createSource(file: sourceFile) }
            _ = try await dm.call { try $0.startTask(file: taskFile, source: nil) }
            try await run.writeAndFailOver(through: .primary)

            // 1–4. Check, pause-task, check again; gtid-S is the downstream's checkpoint.
            try await run.checkPauseRecheck()
            #expect(try await run.checks.taken(v1: false).first?.gtidS?.description == (try await lab.checkpoint()))
            // 5. stop-task: DM removes the subtask and keeps the checkpoint.
            let operation: String?
            if batch {
                let stopped = try await dm.call { try $0.stopTasks(onSource: Self.source) }
                #expect(stopped.tasks.map(\.task) == [Self.task])
                operation = stopped.tasks.first?.reply.operation
            } else {
                operation = try await dm.call { try $0.stopTask(Self.task, source: nil) }.operation
            }
            #expect(operation == (version == "v5.4.0" ? "Stop" : "Delete"))
            // 6. operate-source stop.
            _ = try await dm.call { try $0.stopSource(Self.source) }
            // 7. The saved source file now names db2; nothing else in it changes.
            let original = try String(contentsOfFile: sourceFile, encoding: .utf8)
            let rewrite = try DMSourceFile.rewriteAddress(path: sourceFile, host: db2.host, port: Int(db2.port))
            #expect(rewrite.changed && rewrite.previousPort == Int(db1.port))
            #expect(try String(contentsOfFile: sourceFile, encoding: .utf8)
                == original.replacingOccurrences(of: "port: \(db1.port)", with: "port: \(db2.port)"))
            // 8. operate-source create with the rewritten file; the source is bound again.
            let created = try await dm.call { try $0.createSource(file: sourceFile) }
            #expect(created.members.map(\.source) == [Self.source])
            let shown = try await dm.call { try $0.showSources([]) }
            #expect(shown.members.map { "\($0.source ?? "") \($0.worker ?? "")" } == ["\(Self.source) dm-worker-1"])
            let members = try await dm.call { try $0.listMembers() }
            #expect(members.workers.filter { $0.stage == "bound" }.map(\.source) == [Self.source])
            // 9. start-task from the saved task file, never --remove-meta.
            _ = try await dm.call { try $0.startTask(file: taskFile, source: nil) }
            // 10. Running.
            _ = try await run.checks.waitUntilRunning()

            try await run.verifyAfterSwitch(through: .instance(2), directly: true)
            #expect(dm.commands == [
                .queryStatus(task: nil, source: Self.source), .pauseTask(task: Self.task, source: nil),
                .queryStatus(task: nil, source: Self.source),
                batch ? .stopTasks(source: Self.source) : .stopTask(task: Self.task, source: nil),
                .stopSource(source: Self.source), .createSource(file: sourceFile), .showSources(sources: []), .listMembers,
                .startTask(file: taskFile, source: nil),
                .queryStatus(task: Self.task, source: nil), .queryStatus(task: nil, source: nil),
            ])
        }

        @Test("DM v1.0, VIP: check on relayBinlogGtid, pause-relay, pause-task, move the VIP, switch-relay-master, resume-relay, resume-task")
        func v1VIP() async throws {
            var run = try await Run(version: "v1.0.7", vip: true)
            defer { run.checks.shutdown() }
            let (lab, dm) = (run.lab, run.dm)
            try await lab.runRollingUpdate(inventory: try lab.inventory(try lab.vip))
            let taskFile = try lab.taskFile()
            _ = try await dm.call { try $0.startTask(file: taskFile, source: nil) }
            let firstRelay = try await dm.call { try $0.queryStatus(task: Self.task) }.tasks.first?.relaySubDir
            try await run.writeAndFailOver(through: .vip)

            // 1–2. query-status (gtid-S = relayBinlogGtid in v1.0) and the safety model.
            _ = try await run.requireQualifies("db2 should qualify")
            // 3. pause-relay.
            _ = try await dm.call { try $0.pauseRelay(source: Self.source) }
            // 4. pause-task for every task.
            _ = try await dm.call { try $0.pauseTask(Self.task, source: nil) }
            // 5. Check again with the relay and the task paused.
            _ = try await run.requireQualifies("db2 should still qualify with relay and task paused")
            // 6. Move the VIP, 7. and it answers as db2.
            try await lab.sandbox.moveVIP(to: 2)
            #expect(try await run.checks.state(at: try lab.vip).serverIdentity == "0-2")
            // 8. switch-relay-master: the relay starts a new sub-directory for db2.
            _ = try await dm.call { try $0.switchRelayMaster(source: Self.source) }
            // 9. resume-relay, 10. resume-task.
            _ = try await dm.call { try $0.resumeRelay(source: Self.source) }
            _ = try await dm.call { try $0.resumeTask(Self.task, source: nil) }
            // 11. The relay and the task run; the relay reads db2 in the next sub-directory.
            let running = try await run.checks.waitUntilRunning()
            #expect(firstRelay?.description == "0-1.000001")
            #expect(running.tasks.first?.relaySubDir?.description == "0-2.000002")
            #expect(running.tasks.first?.worker == BackendDriver.v1Worker)

            try await run.verifyAfterSwitch(through: .vip, directly: false)
            #expect(dm.commands == [
                .queryStatus(task: nil, source: Self.source), .pauseRelay(source: Self.source),
                .pauseTask(task: Self.task, source: nil), .queryStatus(task: nil, source: Self.source),
                .switchRelayMaster(source: Self.source), .resumeRelay(source: Self.source),
                .resumeTask(task: Self.task, source: nil), .queryStatus(task: Self.task, source: nil),
                .queryStatus(task: nil, source: nil),
            ])
        }

        @Test("DM v1.0, address: check, pause-task, re-check, stop-task, rewrite the inventory, rolling update, start-task")
        func v1Address() async throws {
            var run = try await Run(version: "v1.0.7", vip: false)
            defer { run.checks.shutdown() }
            let (lab, dm) = (run.lab, run.dm)
            let db1 = try lab.address(1)
            let db2 = try lab.address(2)
            let inventory = try lab.inventory(db1)
            try await lab.runRollingUpdate(inventory: inventory)
            let taskFile = try lab.taskFile()
            _ = try await dm.call { try $0.startTask(file: taskFile, source: nil) }
            try await run.writeAndFailOver(through: .primary)

            // 1–4. Check on relayBinlogGtid, pause-task, check again.
            try await run.checkPauseRecheck()
            // 5. stop-task.
            _ = try await dm.call { try $0.stopTask(Self.task, source: nil) }
            // 6. The worker's inventory line now names db2, same source_id.
            let rewrite = try DMAnsibleInventory.rewriteAddress(
                path: inventory, alias: Lab.workerAlias, host: db2.host, port: Int(db2.port))
            #expect(rewrite.changed && rewrite.previousPort == Int(db1.port))
            let line = try DMAnsibleInventory.worker(alias: Lab.workerAlias, path: inventory)
            #expect(line.mysqlPort == Int(db2.port) && line.sourceID == Self.source)
            // 7. The configured rolling update applies it.
            try await lab.runRollingUpdate(inventory: inventory)
            // 8. start-task from the saved task file.
            _ = try await dm.call { try $0.startTask(file: taskFile, source: nil) }
            // 9. Running.
            _ = try await run.checks.waitUntilRunning()

            try await run.verifyAfterSwitch(through: .instance(2), directly: true)
            #expect(dm.commands == [
                .queryStatus(task: nil, source: Self.source), .pauseTask(task: Self.task, source: nil),
                .queryStatus(task: nil, source: Self.source), .stopTask(task: Self.task, source: nil),
                .startTask(file: taskFile, source: nil), .queryStatus(task: Self.task, source: nil),
                .queryStatus(task: nil, source: nil),
            ])
        }

        @Test("A candidate that purged binlogs DM still needs fails the check, naming the missing GTIDs; forced, DM stops with 36069/1236")
        func purgedCandidate() async throws {
            let lab = try await Lab.start(version: "v8.5.0", instances: 2, vip: true)
            let dm = try BackendDriver(lab: lab, version: "v8.5.0")
            let checks = try RunbookChecks(lab: lab, dm: dm)
            defer { checks.shutdown() }
            let sourceFile = try lab.sourceFile(try lab.vip)
            let taskFile = try lab.taskFile()
            _ = try await dm.call { try $0.createSource(file: sourceFile) }
            _ = try await dm.call { try $0.startTask(file: taskFile, source: nil) }
            try await lab.write(3, through: .vip)
            try await lab.waitInSync()
            // DM falls behind (its task is paused), the group moves on, and db2 purges the
            // binary logs that hold what DM has not taken yet.
            _ = try await dm.call { try $0.pauseTasks(onSource: Self.source) }
            try await lab.write(4, through: .vip)
            try await lab.sandbox.waitForReplicas()
            try await lab.sandbox.purgeBinaryLogs(on: 2)
            try await lab.sandbox.kill(1)
            try await lab.sandbox.promote(2)

            let verdict = try await checks.check(candidate: 2, v1: false)
            #expect(!verdict.qualifies)
            guard case .mariadb(let gtidS)? = verdict.taken.first?.gtidS, case .mariadb(let gtidP) = verdict.candidate.gtidP else {
                Issue.record("expected MariaDB gtid-S and gtid-P, got \(verdict)")
                return
            }
            let checkpoint = try #require(gtidS.sequence(inDomain: 0))
            let purged = try #require(gtidP.sequence(inDomain: 0))
            #expect(purged > checkpoint)
            #expect(verdict.problems == [
                "task \(Self.task): the candidate purged domain 0: \(checkpoint + 1)-\(purged), which DM has not taken "
                    + "(gtid-P \(gtidP) is not within gtid-S \(gtidS))"
            ])

            // Forced anyway: DM cannot continue from its checkpoint on db2. resume-task reports
            // the worker's error when the stream failed within DM-master's wait; either way the
            // subtask stops on it a moment later (dm-interface §8.5), so query-status is polled.
            try await lab.sandbox.moveVIP(to: 2)
            do {
                _ = try await dm.call { try $0.resumeTasks(onSource: Self.source) }
            } catch let error as DMError {
                #expect(error.isRejection && error.codes.contains(36069), "\(error)")
            }
            try await checks.expectStoppedOnBinlogError()
            #expect(try await lab.violations().exitCode == 0)
        }

        @Test("A candidate that lacks transactions DM has applied fails the check, naming them; forced, DM cannot continue there")
        func laggingCandidate() async throws {
            let lab = try await Lab.start(version: "v6.5.0", instances: 2)
            let dm = try BackendDriver(lab: lab, version: "v6.5.0")
            let checks = try RunbookChecks(lab: lab, dm: dm)
            defer { checks.shutdown() }
            let sourceFile = try lab.sourceFile(try lab.address(1))
            let taskFile = try lab.taskFile()
            _ = try await dm.call { try $0.createSource(file: sourceFile) }
            _ = try await dm.call { try $0.startTask(file: taskFile, source: nil) }
            try await lab.write(2)
            try await lab.sandbox.waitForReplicas()
            // db2 stops applying; DM, reading db1 directly, goes on.
            try await lab.sandbox.stopReplicaSQLThread(2)
            try await lab.write(3)
            try await lab.waitInSync()

            let verdict = try await checks.check(candidate: 2, v1: false)
            guard case .mariadb(let gtidS)? = verdict.taken.first?.gtidS, case .mariadb(let gtidE) = verdict.candidate.gtidE else {
                Issue.record("expected MariaDB gtid-S and gtid-E, got \(verdict)")
                return
            }
            let taken = try #require(gtidS.sequence(inDomain: 0))
            let applied = try #require(gtidE.sequence(inDomain: 0))
            #expect(taken > applied, "\(verdict)")
            #expect(gtidS.description == (try await lab.checkpoint()))
            #expect(verdict.problems == [
                "task \(Self.task): the candidate lacks domain 0: \(applied + 1)-\(taken), which DM has taken "
                    + "(gtid-S \(gtidS) is not within gtid-E \(gtidE))"
            ])

            // Forced anyway (the address runbook without its check): DM asks db2 for
            // transactions after its checkpoint, which db2 does not have.
            _ = try await dm.call { try $0.stopTask(Self.task, source: nil) }
            _ = try await dm.call { try $0.stopSource(Self.source) }
            let db2 = try lab.address(2)
            _ = try DMSourceFile.rewriteAddress(path: sourceFile, host: db2.host, port: Int(db2.port))
            _ = try await dm.call { try $0.createSource(file: sourceFile) }
            _ = try? await dm.call { try $0.startTask(file: taskFile, source: nil) }
            try await checks.expectStoppedOnBinlogError()
            #expect(try await lab.rowCount(0) == 5)
            #expect(try await lab.rowCount(2) == 2)
        }
    }
}
