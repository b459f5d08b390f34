import Foundation
import Testing

extension DMSimIntegration {
    /// dmsim's subtasks against real MariaDB servers: data really flows, stops and resumes.
    @Suite("dmsim subtasks replicate for real")
    struct ReplicationLifecycleTests {
        @Test("Rows replicate; pause stops them; resume continues without loss or duplicates")
        func pauseResume() async throws {
            let lab = try await Lab.start(version: "v6.5.0", instances: 1)
            try await lab.write(5)
            try await lab.startTask()
            try await lab.waitInSync()
            #expect(try await lab.stage() == "Running")

            let pause = try await lab.dmsim.dmctl(["pause-task", "t1"])
            #expect(pause.exitCode == 0)
            #expect(path(try pause.json(), "op") as? String == "Pause")
            #expect(path(try pause.json(), "sources", 0, "result") as? Bool == true)
            let pausedAt = try await lab.fingerprint(0)
            try await lab.write(7)
            try await Task.sleep(for: .seconds(1))
            #expect(try await lab.fingerprint(0) == pausedAt)
            let status = try await lab.dmsim.dmctl(["query-status", "t1"]).json()
            #expect(path(status, "sources", 0, "subTaskStatus", 0, "stage") as? String == "Paused")
            #expect(path(status, "sources", 0, "subTaskStatus", 0, "result", "isCanceled") as? Bool == true)
            let syncer = path(status, "sources", 0, "subTaskStatus", 0, "sync", "syncerBinlogGtid") as? String
            let master = path(status, "sources", 0, "subTaskStatus", 0, "sync", "masterBinlogGtid") as? String
            #expect(syncer == (try await lab.sandbox.query("SELECT @@gtid_slave_pos AS p", on: 0).first?["p"]))
            #expect(master == (try await lab.sandbox.query("SELECT @@gtid_binlog_pos AS p", on: 1).first?["p"]))
            #expect(syncer != master)

            let resume = try await lab.dmsim.dmctl(["resume-task", "t1"])
            #expect(path(try resume.json(), "sources", 0, "result") as? Bool == true)
            try await lab.waitInSync()
            #expect(try await lab.rowCount(0) == 12)
            let summary = try await lab.dmsim.dmctl(["query-status"]).json()
            #expect(path(summary, "tasks", 0, "taskStatus") as? String == "Running")
            #expect(try await lab.violations().exitCode == 0)
        }

        @Test("stop-task keeps the checkpoint and start-task continues from it")
        func stopStart() async throws {
            let lab = try await Lab.start(version: "v6.5.0", instances: 1)
            try await lab.write(3)
            try await lab.startTask()
            try await lab.waitInSync()

            let stop = try await lab.dmsim.dmctl(["stop-task", "t1"])
            #expect(path(try stop.json(), "op") as? String == "Delete")
            let gone = try await lab.dmsim.dmctl(["query-status", "t1"]).json()
            #expect(path(gone, "result") as? Bool == false)
            #expect(path(gone, "msg") as? String == "task t1 has no source or not exist")
            try await lab.write(4)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await lab.rowCount(0) == 3)

            let start = try await lab.dmsim.dmctl(["start-task", try lab.taskFile()])
            #expect(path(try start.json(), "result") as? Bool == true)
            try await lab.waitInSync()
            #expect(try await lab.rowCount(0) == 7)

            let again = try await lab.dmsim.dmctl(["start-task", try lab.taskFile()])
            #expect(again.exitCode == 0)
            #expect(path(try again.json(), "result") as? Bool == false)
            #expect((path(try again.json(), "msg") as? String)?.contains("[code=46014:") == true)
            #expect(try await lab.violations().exitCode == 0)
        }

        @Test("operate-source stop/create moves a subtask to another instance of the group (v2.0.7)")
        func addressChange() async throws {
            let lab = try await Lab.start(version: "v2.0.7", instances: 2)
            try await lab.write(4)
            try await lab.startTask()
            try await lab.waitInSync()

            let refused = try await lab.dmsim.dmctl(["operate-source", "stop", Lab.sourceID]).json()
            #expect(path(refused, "result") as? Bool == false)
            #expect((path(refused, "msg") as? String)?.hasPrefix("[code=46010:") == true)

            let stop = try await lab.dmsim.dmctl(["stop-task", "t1"]).json()
            #expect(path(stop, "op") as? String == "Stop")
            #expect(path(try await lab.dmsim.dmctl(["operate-source", "stop", Lab.sourceID]).json(), "result") as? Bool == true)
            try await lab.write(3)
            try await lab.sandbox.waitForReplicas()
            let create = try await lab.dmsim.dmctl(["operate-source", "create", try lab.sourceFile(try lab.address(2))])
            #expect(path(try create.json(), "sources", 0, "worker") as? String == "dm-worker-1")
            let start = try await lab.dmsim.dmctl(["start-task", try lab.taskFile()])
            #expect(path(try start.json(), "result") as? Bool == true)
            try await lab.write(2)
            try await lab.sandbox.waitForReplicas()
            try await lab.waitInSync(with: 2)
            #expect(try await lab.rowCount(0) == 9)
            let port = try await lab.sandbox.query("SHOW SLAVE 't1.mysql-replica-01' STATUS", on: 0).first?["Master_Port"]
            #expect(port == String(try lab.address(2).port))
            #expect(try await lab.violations().exitCode == 0)
        }

        @Test("A purged binlog on the new upstream surfaces as DM's 36069 error with MySQL error 1236")
        func purgedBinlog() async throws {
            let lab = try await Lab.start(version: "v8.5.0", instances: 2)
            try await lab.write(2)
            try await lab.startTask(at: try lab.address(2))
            try await lab.sandbox.waitForReplicas()
            try await lab.waitInSync(with: 2)
            #expect(try await lab.dmsim.dmctl(["pause-task", "t1"]).exitCode == 0)
            try await lab.write(3)
            try await lab.sandbox.waitForReplicas()
            try await lab.sandbox.purgeBinaryLogs(on: 2)

            // The reply carries the worker's error only when the stream failed within DM-master's
            // wait; otherwise the subtask pauses a moment later (dm-interface §8.5), so re-query.
            let resume = try await lab.dmsim.dmctl(["resume-task", "t1"]).json()
            #expect(path(resume, "result") as? Bool == true)
            let message = path(resume, "sources", 0, "msg") as? String ?? ""
            if path(resume, "sources", 0, "result") as? Bool == false {
                #expect(message.contains("[code=38032:") && message.contains("ErrCode:36069"), "\(message)")
            } else {
                #expect(message.isEmpty)
            }
            var status: [String: Any] = [:]
            try await waitUntil(20, "the subtask to pause on the purged binlog") {
                status = try await lab.dmsim.dmctl(["query-status", "t1"]).json()
                return path(status, "sources", 0, "subTaskStatus", 0, "result", "errors", 0) != nil
            }
            let subtask = path(status, "sources", 0, "subTaskStatus", 0)
            #expect(path(subtask, "stage") as? String == "Paused")
            #expect(path(subtask, "result", "errors", 0, "ErrCode") as? Int == 36069)
            #expect((path(subtask, "result", "errors", 0, "Message") as? String)?.hasPrefix("get binlog event error: ERROR 1236 (HY000): ") == true)
            let summary = try await lab.dmsim.dmctl(["query-status"]).json()
            #expect((path(summary, "tasks", 0, "taskStatus") as? String)?.hasPrefix("Error - Some error occurred in subtask.") == true)
        }
    }
}
