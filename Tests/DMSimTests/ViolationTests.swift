import Foundation
import Posix
import Testing

extension DMSimIntegration {
    /// The data hazard dmswitch must prevent: the server behind DM's address changes while a
    /// subtask runs. dmsim flags it; the documented pause → move → resume runbook does not.
    @Suite("dmsim flags an upstream change under a running subtask")
    struct ViolationTests {
        /// The group's HA tool fails over: db1 dies (kill -9), db2 is promoted, and the VIP
        /// (HAProxy) moves to db2 — whether or not DM was paused first.
        private func failOverAndMoveVIP(_ lab: Lab) async throws {
            try await lab.sandbox.kill(1)
            try await lab.sandbox.promote(2)
            try await lab.sandbox.moveVIP(to: 2)
        }

        @Test("Moving the VIP while the task runs is flagged, also by sim-watch (with and without relay)", arguments: [false, true])
        func moveWhileRunning(relay: Bool) async throws {
            let lab = try await Lab.start(version: "v6.5.0", instances: 2, vip: true)
            try await lab.write(3, through: .vip)
            try await lab.startTask(at: try lab.vip, relay: relay)
            try await lab.waitInSync()
            #expect(try await lab.violations().exitCode == 0)

            let watchLog = lab.dmsim.directory + "/watch.log"
            let watch = try Subprocess.spawn(
                .init(executable: lab.dmsim.executable, arguments: ["sim-watch", "--interval", "200ms", "--duration", "60s"],
                      environment: lab.dmsim.environment),
                stdout: .file(path: watchLog, append: false))
            defer {
                watch.signal(SIGKILL, group: true)
                _ = watch.wait()
            }

            try await failOverAndMoveVIP(lab)
            try await waitUntil(30, "sim-watch to report the violation") {
                (try? String(contentsOfFile: watchLog, encoding: .utf8))?.contains("read from server_id 2") == true
            }
            let report = try await lab.violations()
            #expect(report.exitCode == 1)
            #expect(report.stdout.contains("Subtask t1 on source mysql-replica-01 read from server_id 2"))
            #expect(report.stdout.contains("started or resumed against server_id 1 (detected by sim-watch)"))
            let events = try await lab.dmsim.run(["sim-events"]).stdout
            #expect(events.contains("\"kind\":\"violation\""))
        }

        /// With relay, resume-task comes right after the move, before the relay has reconnected
        /// (it retries every second): DM's resumed subtask belongs to the new server, and the
        /// relay following it there is DM's own switch, not a hazard.
        @Test("pause-task, move, resume-task (the v2+ VIP runbook) is not a violation (with and without relay)", arguments: [false, true])
        func runbook(relay: Bool) async throws {
            let lab = try await Lab.start(version: "v6.5.0", instances: 2, vip: true)
            try await lab.write(3, through: .vip)
            try await lab.startTask(at: try lab.vip, relay: relay)
            try await lab.waitInSync()
            #expect(path(try await lab.dmsim.dmctl(["pause-task", "t1"]).json(), "result") as? Bool == true)
            try await failOverAndMoveVIP(lab)
            #expect(path(try await lab.dmsim.dmctl(["resume-task", "t1"]).json(), "sources", 0, "result") as? Bool == true)
            try await lab.write(1, through: .vip)
            try await lab.waitInSync(with: 2)
            #expect(try await lab.stage() == "Running")
            #expect(try await lab.dmsim.run(["sim-check"]).exitCode == 0)
            #expect(try await lab.violations().exitCode == 0)
        }

        /// DM v1.0 with one worker reading through the VIP, its task started and in sync.
        private func startV1TaskThroughVIP() async throws -> (Lab, worker: String) {
            let lab = try await Lab.start(version: "v1.0.7", instances: 2, vip: true)
            try await lab.write(2, through: .vip)
            let worker = "127.0.0.1:8262"
            let added = try await lab.dmsim.run(["sim-add-worker", "--worker", worker, "--source-file", try lab.sourceFile(try lab.vip)])
            #expect(added.exitCode == 0)
            let start = try await lab.dmsim.dmctl(["start-task", try lab.taskFile()]).json()
            #expect(path(start, "workers", 0, "worker") as? String == worker)
            #expect(path(start, "workers", 0, "result") as? Bool == true)
            try await lab.waitInSync()
            return (lab, worker)
        }

        @Test("DM v1.0: pause-relay, pause-task, move, switch-relay-master, resume-relay, resume-task")
        func v1Runbook() async throws {
            let (lab, worker) = try await startV1TaskThroughVIP()

            var status = try await lab.dmsim.dmctl(["query-status", "t1"]).json()
            #expect(path(status, "workers", 0, "relayStatus", "relaySubDir") as? String == "0-1.000001")
            #expect(path(status, "workers", 0, "subTaskStatus", 0, "sync", "syncerBinlogGtid") as? String == "")
            #expect(path(status, "workers", 0, "sourceID") as? String == "mysql-replica-01")

            let running = try await lab.dmsim.dmctl(["switch-relay-master", "-w", worker]).json()
            #expect(path(running, "workers", 0, "result") as? Bool == false)
            #expect((path(running, "workers", 0, "msg") as? String)?.contains("[code=40039:") == true)

            let pauseRelay = try await lab.dmsim.dmctl(["pause-relay", "-w", worker]).json()
            #expect(path(pauseRelay, "op") as? String == "PauseRelay")
            #expect(path(pauseRelay, "workers", 0, "result") as? Bool == true)
            let relayBefore = path(try await lab.dmsim.dmctl(["query-status", "t1"]).json(), "workers", 0, "relayStatus", "relayBinlogGtid") as? String
            try await lab.write(2, through: .vip)
            try await Task.sleep(for: .milliseconds(500))
            status = try await lab.dmsim.dmctl(["query-status", "t1"]).json()
            #expect(path(status, "workers", 0, "relayStatus", "stage") as? String == "Paused")
            #expect(path(status, "workers", 0, "relayStatus", "relayBinlogGtid") as? String == relayBefore)
            #expect(try await lab.rowCount(0) == 2)

            let pause = try await lab.dmsim.dmctl(["pause-task", "t1"]).json()
            #expect(path(pause, "workers", 0, "meta", "result") as? Bool == true)
            try await lab.sandbox.waitForReplicas()
            try await failOverAndMoveVIP(lab)
            let switched = try await lab.dmsim.dmctl(["switch-relay-master", "-w", worker]).json()
            #expect(path(switched, "workers", 0, "result") as? Bool == true)
            #expect(path(try await lab.dmsim.dmctl(["resume-relay", "-w", worker]).json(), "workers", 0, "result") as? Bool == true)
            #expect(path(try await lab.dmsim.dmctl(["resume-task", "t1"]).json(), "workers", 0, "meta", "result") as? Bool == true)
            try await lab.write(1, through: .vip)
            try await lab.waitInSync(with: 2)
            status = try await lab.dmsim.dmctl(["query-status", "t1"]).json()
            #expect(path(status, "workers", 0, "relayStatus", "relaySubDir") as? String == "0-2.000002")
            #expect(path(status, "workers", 0, "subTaskStatus", 0, "stage") as? String == "Running")
            #expect(try await lab.violations().exitCode == 0)
        }

        @Test("DM v1.0: a relay Paused by its dead upstream's error switches without pause-relay, as DM checks the stage")
        func v1SwitchRelayPausedByError() async throws {
            let (lab, worker) = try await startV1TaskThroughVIP()

            try await lab.sandbox.kill(1)
            try await waitUntil(20, "the relay is Paused by the upstream's error") {
                let relay = path(try await lab.dmsim.dmctl(["query-status", "t1"]).json(), "workers", 0, "relayStatus")
                return path(relay, "stage") as? String == "Paused" && path(relay, "result", "errors", 0) != nil
            }
            #expect(path(try await lab.dmsim.dmctl(["pause-task", "t1"]).json(), "workers", 0, "meta", "result") as? Bool == true)
            try await lab.sandbox.promote(2)
            try await lab.sandbox.moveVIP(to: 2)
            let switched = try await lab.dmsim.dmctl(["switch-relay-master", "-w", worker]).json()
            #expect(path(switched, "workers", 0, "result") as? Bool == true, "\(switched)")
            #expect(path(try await lab.dmsim.dmctl(["resume-relay", "-w", worker]).json(), "workers", 0, "result") as? Bool == true)
            #expect(path(try await lab.dmsim.dmctl(["resume-task", "t1"]).json(), "workers", 0, "meta", "result") as? Bool == true)
            try await lab.write(1, through: .vip)
            try await lab.waitInSync(with: 2)
            let status = try await lab.dmsim.dmctl(["query-status", "t1"]).json()
            #expect(path(status, "workers", 0, "relayStatus", "relaySubDir") as? String == "0-2.000002")
            #expect(try await lab.violations().exitCode == 0)
        }
    }
}
