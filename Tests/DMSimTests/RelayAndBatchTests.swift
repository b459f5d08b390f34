import Foundation
import Testing

extension DMSimIntegration {
    /// v2+ relay commands on a relay-enabled source, and the batch form of pause/resume.
    @Suite("dmsim relay-enabled sources and batch task operations")
    struct RelayAndBatchTests {
        @Test("pause-relay stops reading, resume-relay continues; the relay status shows it")
        func relay() async throws {
            let lab = try await Lab.start(version: "v6.5.0", instances: 1)
            try await lab.write(2)
            try await lab.startTask(relay: true)
            try await lab.waitInSync()
            var status = try await lab.dmsim.dmctl(["query-status", "t1"]).json()
            #expect(path(status, "sources", 0, "sourceStatus", "relayStatus", "relaySubDir") as? String == "0-1.000001")
            #expect(path(status, "sources", 0, "subTaskStatus", 0, "sync", "binlogType") as? String == "local")

            let pause = try await lab.dmsim.dmctl(["pause-relay", "-s", Lab.sourceID]).json()
            #expect(path(pause, "op") as? String == "PauseRelay")
            #expect(path(pause, "sources", 0, "result") as? Bool == true)
            try await lab.write(3)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await lab.rowCount(0) == 2)
            status = try await lab.dmsim.dmctl(["query-status", "t1"]).json()
            #expect(path(status, "sources", 0, "sourceStatus", "relayStatus", "stage") as? String == "Paused")
            let summary = try await lab.dmsim.dmctl(["query-status"]).json()
            #expect((path(summary, "tasks", 0, "taskStatus") as? String)?.hasPrefix("Error - Relay status is Paused.") == true)

            #expect(path(try await lab.dmsim.dmctl(["resume-relay", "-s", Lab.sourceID]).json(), "sources", 0, "result") as? Bool == true)
            try await lab.waitInSync()
            #expect(try await lab.violations().exitCode == 0)
        }

        @Test("pause-task -s SRC operates every task of the source (encoding/json, zero fields omitted)")
        func batch() async throws {
            let lab = try await Lab.start(version: "v6.5.0", instances: 1)
            try await lab.startTask()
            let noRelay = try await lab.dmsim.dmctl(["pause-relay", "-s", Lab.sourceID]).json()
            #expect(path(noRelay, "sources", 0, "result") as? Bool == false)
            #expect((path(noRelay, "sources", 0, "msg") as? String)?.contains("relay is disabled for this source") == true)

            let pause = try await lab.dmsim.dmctl(["pause-task", "-s", Lab.sourceID])
            #expect(pause.stdout.contains("\"sources\": [\n                {\n                    \"result\": true,\n                    \"source\": \"mysql-replica-01\",\n                    \"worker\": \"dm-worker-1\"\n                }"))
            #expect(path(try pause.json(), "tasks", 0, "op") as? String == "Pause")
            #expect(try await lab.stage() == "Paused")
            let resume = try await lab.dmsim.dmctl(["resume-task", "-s", Lab.sourceID]).json()
            #expect(path(resume, "tasks", 0, "task") as? String == "t1")
            #expect(try await lab.stage() == "Running")
        }
    }
}
