import Foundation
import Testing

/// v2+ relay commands on a relay-enabled source, and the batch form of pause/resume.
@Suite("dmsim relay-enabled sources and batch task operations", .serialized)
struct RelayAndBatchTests {
    @Test("pause-relay stops reading, resume-relay continues; the relay status shows it")
    func relay() throws {
        let lab = try Lab(version: "v6.5.0", label: "relay")
        try lab.write(2, tag: "a")
        try lab.startTask(relay: true)
        try lab.waitInSync()
        var status = try lab.dmsim.dmctl(["query-status", "t1"]).json()
        #expect(path(status, "sources", 0, "sourceStatus", "relayStatus", "relaySubDir") as? String == "1-1.000001")
        #expect(path(status, "sources", 0, "subTaskStatus", 0, "sync", "binlogType") as? String == "local")

        let pause = try lab.dmsim.dmctl(["pause-relay", "-s", "mysql-replica-01"]).json()
        #expect(path(pause, "op") as? String == "PauseRelay")
        #expect(path(pause, "sources", 0, "result") as? Bool == true)
        try lab.write(3, tag: "b")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try lab.downstream.value("SELECT COUNT(*) FROM app.t") == "2")
        status = try lab.dmsim.dmctl(["query-status", "t1"]).json()
        #expect(path(status, "sources", 0, "sourceStatus", "relayStatus", "stage") as? String == "Paused")
        let summary = try lab.dmsim.dmctl(["query-status"]).json()
        #expect((path(summary, "tasks", 0, "taskStatus") as? String)?.hasPrefix("Error - Relay status is Paused.") == true)

        #expect(path(try lab.dmsim.dmctl(["resume-relay", "-s", "mysql-replica-01"]).json(), "sources", 0, "result") as? Bool == true)
        try lab.waitInSync()
        #expect(try lab.violations().exitCode == 0)
    }

    @Test("pause-task -s SRC operates every task of the source (encoding/json, zero fields omitted)")
    func batch() throws {
        let lab = try Lab(version: "v6.5.0", label: "batch")
        try lab.startTask()
        let noRelay = try lab.dmsim.dmctl(["pause-relay", "-s", "mysql-replica-01"]).json()
        #expect(path(noRelay, "sources", 0, "result") as? Bool == false)
        #expect((path(noRelay, "sources", 0, "msg") as? String)?.contains("relay is disabled for this source") == true)

        let pause = try lab.dmsim.dmctl(["pause-task", "-s", "mysql-replica-01"])
        #expect(pause.stdout.contains("\"sources\": [\n                {\n                    \"result\": true,\n                    \"source\": \"mysql-replica-01\",\n                    \"worker\": \"dm-worker-1\"\n                }"))
        #expect(path(try pause.json(), "tasks", 0, "op") as? String == "Pause")
        #expect(try lab.stage() == "Paused")
        let resume = try lab.dmsim.dmctl(["resume-task", "-s", "mysql-replica-01"]).json()
        #expect(path(resume, "tasks", 0, "task") as? String == "t1")
        #expect(try lab.stage() == "Running")
    }
}
