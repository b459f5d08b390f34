import Foundation
import Testing

/// dmsim's subtasks against real MariaDB servers: data really flows, stops and resumes.
@Suite("dmsim subtasks replicate for real", .serialized)
struct ReplicationLifecycleTests {
    @Test("Rows replicate; pause stops them; resume continues without loss or duplicates")
    func pauseResume() throws {
        let lab = try Lab(version: "v6.5.0", label: "pause")
        try lab.write(5, tag: "before")
        try lab.startTask()
        try lab.waitInSync()
        #expect(try lab.stage() == "Running")

        let pause = try lab.dmsim.dmctl(["pause-task", "t1"])
        #expect(pause.exitCode == 0)
        #expect(path(try pause.json(), "op") as? String == "Pause")
        #expect(path(try pause.json(), "sources", 0, "result") as? Bool == true)
        let pausedAt = try lab.downstream.fingerprint()
        try lab.write(7, tag: "paused")
        Thread.sleep(forTimeInterval: 1)
        #expect(try lab.downstream.fingerprint() == pausedAt)
        let status = try lab.dmsim.dmctl(["query-status", "t1"]).json()
        #expect(path(status, "sources", 0, "subTaskStatus", 0, "stage") as? String == "Paused")
        #expect(path(status, "sources", 0, "subTaskStatus", 0, "result", "isCanceled") as? Bool == true)
        let syncer = path(status, "sources", 0, "subTaskStatus", 0, "sync", "syncerBinlogGtid") as? String
        let master = path(status, "sources", 0, "subTaskStatus", 0, "sync", "masterBinlogGtid") as? String
        #expect(syncer == (try lab.downstream.value("SELECT @@gtid_slave_pos")))
        #expect(master == (try lab.primary.value("SELECT @@gtid_binlog_pos")))
        #expect(syncer != master)

        let resume = try lab.dmsim.dmctl(["resume-task", "t1"])
        #expect(path(try resume.json(), "sources", 0, "result") as? Bool == true)
        try lab.waitInSync()
        #expect(try lab.downstream.value("SELECT COUNT(*) FROM app.t") == "12")
        #expect(try lab.downstream.value("SELECT COUNT(DISTINCT v) FROM app.t") == "12")
        let summary = try lab.dmsim.dmctl(["query-status"]).json()
        #expect(path(summary, "tasks", 0, "taskStatus") as? String == "Running")
        #expect(try lab.violations().exitCode == 0)
    }

    @Test("stop-task keeps the checkpoint and start-task continues from it")
    func stopStart() throws {
        let lab = try Lab(version: "v6.5.0", label: "stop")
        try lab.write(3, tag: "a")
        try lab.startTask()
        try lab.waitInSync()

        let stop = try lab.dmsim.dmctl(["stop-task", "t1"])
        #expect(path(try stop.json(), "op") as? String == "Delete")
        let gone = try lab.dmsim.dmctl(["query-status", "t1"]).json()
        #expect(path(gone, "result") as? Bool == false)
        #expect(path(gone, "msg") as? String == "task t1 has no source or not exist")
        try lab.write(4, tag: "b")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try lab.downstream.value("SELECT COUNT(*) FROM app.t") == "3")

        let task = try lab.dmsim.taskFile(name: "t1", targetPort: lab.downstream.port, sources: ["mysql-replica-01"])
        let start = try lab.dmsim.dmctl(["start-task", task])
        #expect(path(try start.json(), "result") as? Bool == true)
        try lab.waitInSync()
        #expect(try lab.downstream.value("SELECT COUNT(DISTINCT v) FROM app.t") == "7")

        let again = try lab.dmsim.dmctl(["start-task", task])
        #expect(again.exitCode == 0)
        #expect(path(try again.json(), "result") as? Bool == false)
        #expect((path(try again.json(), "msg") as? String)?.contains("[code=46014:") == true)
        #expect(try lab.violations().exitCode == 0)
    }

    @Test("operate-source stop/create moves a subtask to another instance of the group (v2.0.7)")
    func addressChange() throws {
        let lab = try Lab(version: "v2.0.7", label: "address")
        try lab.write(4, tag: "a")
        try lab.startTask()
        try lab.waitInSync()

        let refused = try lab.dmsim.dmctl(["operate-source", "stop", "mysql-replica-01"]).json()
        #expect(path(refused, "result") as? Bool == false)
        #expect((path(refused, "msg") as? String)?.hasPrefix("[code=46010:") == true)

        let stop = try lab.dmsim.dmctl(["stop-task", "t1"]).json()
        #expect(path(stop, "op") as? String == "Stop")
        #expect(path(try lab.dmsim.dmctl(["operate-source", "stop", "mysql-replica-01"]).json(), "result") as? Bool == true)
        try lab.write(3, tag: "b")
        try waitUntil(10, "the replica to catch up") { try lab.replica.fingerprint() == lab.primary.fingerprint() }
        let create = try lab.dmsim.dmctl(["operate-source", "create",
                                          try lab.dmsim.sourceFile(id: "mysql-replica-01", port: lab.replica.port)])
        #expect(path(try create.json(), "sources", 0, "worker") as? String == "dm-worker-1")
        let start = try lab.dmsim.dmctl(["start-task", try lab.dmsim.taskFile(name: "t1", targetPort: lab.downstream.port, sources: ["mysql-replica-01"])])
        #expect(path(try start.json(), "result") as? Bool == true)
        try lab.write(2, tag: "c")
        try waitUntil(10, "the replica to receive the last rows") { try lab.replica.fingerprint() == lab.primary.fingerprint() }
        try lab.waitInSync(lab.replica)
        #expect(try lab.downstream.value("SELECT COUNT(DISTINCT v) FROM app.t") == "9")
        let port = try lab.downstream.connection().query("SHOW SLAVE 't1.mysql-replica-01' STATUS").first?["Master_Port"]
        #expect(port == String(lab.replica.port))
        #expect(try lab.violations().exitCode == 0)
    }

    @Test("A purged binlog on the new upstream surfaces as DM's 36069 error with MySQL error 1236")
    func purgedBinlog() throws {
        let lab = try Lab(version: "v8.5.0", label: "purged")
        try lab.write(2, tag: "a")
        try lab.startTask(on: lab.replica)
        try lab.waitInSync(lab.replica)
        #expect(try lab.dmsim.dmctl(["pause-task", "t1"]).exitCode == 0)
        try lab.write(3, tag: "b")
        try waitUntil(10, "the replica to catch up") { try lab.replica.fingerprint() == lab.primary.fingerprint() }
        try waitUntil(15, "the replica's old binlogs to be purged") {
            try lab.replica.execute("FLUSH BINARY LOGS")
            let logs = try lab.replica.connection().query("SHOW BINARY LOGS").compactMap { $0["Log_name"] }
            guard let current = logs.last else { return false }
            try lab.replica.execute("PURGE BINARY LOGS TO '\(current)'")
            return try lab.replica.connection().query("SHOW BINARY LOGS").count == 1
        }
        let resume = try lab.dmsim.dmctl(["resume-task", "t1"]).json()
        #expect(path(resume, "result") as? Bool == true)
        let message = path(resume, "sources", 0, "msg") as? String ?? ""
        #expect(message.contains("[code=38032:") && message.contains("ErrCode:36069"))
        let status = try lab.dmsim.dmctl(["query-status", "t1"]).json()
        let subtask = path(status, "sources", 0, "subTaskStatus", 0)
        #expect(path(subtask, "stage") as? String == "Paused")
        #expect(path(subtask, "result", "errors", 0, "ErrCode") as? Int == 36069)
        #expect((path(subtask, "result", "errors", 0, "Message") as? String)?.hasPrefix("get binlog event error: ERROR 1236 (HY000): ") == true)
        let summary = try lab.dmsim.dmctl(["query-status"]).json()
        #expect((path(summary, "tasks", 0, "taskStatus") as? String)?.hasPrefix("Error - Some error occurred in subtask.") == true)
    }
}
