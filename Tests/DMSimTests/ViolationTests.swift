import Foundation
import Posix
import Testing

/// The data hazard dmswitch must prevent: the server behind DM's address changes while a
/// subtask runs. dmsim flags it; the documented pause → move → resume runbook does not.
@Suite("dmsim flags an upstream change under a running subtask", .serialized)
struct ViolationTests {
    /// Moves the group's address to the replica: the primary dies and the replica takes
    /// over its port, as a virtual IP moving to the replica would present itself.
    private func moveAddress(_ lab: Lab) throws {
        let port = lab.primary.port
        lab.primary.kill()
        lab.replica.kill()
        try lab.replica.start(port: port)
    }

    @Test("Moving the address while the task runs is flagged, also by sim-watch")
    func moveWhileRunning() throws {
        let lab = try Lab(version: "v6.5.0", label: "vip-bad")
        try lab.write(3, tag: "a")
        try lab.startTask()
        try lab.waitInSync()
        #expect(try lab.violations().exitCode == 0)

        var environment = ProcessInfo.processInfo.environment
        environment["DMSIM_STATE"] = lab.dmsim.directory + "/state"
        let watchLog = lab.root + "/watch.log"
        let watch = try Subprocess.spawn(.init(executable: try DMSimRunner.executable(),
                                               arguments: ["sim-watch", "--interval", "200ms", "--duration", "60s"],
                                               environment: environment),
                                         stdout: .file(path: watchLog, append: false))
        defer { _ = watch.signal(SIGKILL); _ = watch.wait() }

        try moveAddress(lab)
        try waitUntil(20, "sim-watch to report the violation") {
            (try? String(contentsOfFile: watchLog, encoding: .utf8))?.contains("read from server_id 2") == true
        }
        let report = try lab.violations()
        #expect(report.exitCode == 1)
        #expect(report.stdout.contains("Subtask t1 on source mysql-replica-01 read from server_id 2"))
        #expect(report.stdout.contains("started or resumed against server_id 1 (detected by sim-watch)"))
        let events = try lab.dmsim.run(["sim-events"]).stdout
        #expect(events.contains("\"kind\":\"violation\""))
    }

    @Test("pause-task, move, resume-task (the v2+ VIP runbook) is not a violation")
    func runbook() throws {
        let lab = try Lab(version: "v6.5.0", label: "vip-good")
        try lab.write(3, tag: "a")
        try lab.startTask()
        try lab.waitInSync()
        #expect(path(try lab.dmsim.dmctl(["pause-task", "t1"]).json(), "result") as? Bool == true)
        try moveAddress(lab)
        #expect(path(try lab.dmsim.dmctl(["resume-task", "t1"]).json(), "sources", 0, "result") as? Bool == true)
        try lab.replica.execute("INSERT INTO app.t (v) VALUES ('after-move')")
        try lab.waitInSync(lab.replica)
        #expect(try lab.stage() == "Running")
        #expect(try lab.dmsim.run(["sim-check"]).exitCode == 0)
        #expect(try lab.violations().exitCode == 0)
    }

    @Test("DM v1.0: pause-relay, pause-task, move, switch-relay-master, resume-relay, resume-task")
    func v1Runbook() throws {
        let lab = try Lab(version: "v1.0.7", label: "v1")
        try lab.write(2, tag: "a")
        let worker = "127.0.0.1:8262"
        let added = try lab.dmsim.run(["sim-add-worker", "--worker", worker,
                                       "--source-file", try lab.dmsim.sourceFile(id: "mysql-replica-01", port: lab.primary.port)])
        #expect(added.exitCode == 0)
        let start = try lab.dmsim.dmctl(["start-task", try lab.dmsim.taskFile(name: "t1", targetPort: lab.downstream.port, sources: ["mysql-replica-01"])]).json()
        #expect(path(start, "workers", 0, "worker") as? String == worker)
        #expect(path(start, "workers", 0, "result") as? Bool == true)
        try lab.waitInSync()

        var status = try lab.dmsim.dmctl(["query-status", "t1"]).json()
        #expect(path(status, "workers", 0, "relayStatus", "relaySubDir") as? String == "1-1.000001")
        #expect(path(status, "workers", 0, "subTaskStatus", 0, "sync", "syncerBinlogGtid") as? String == "")
        #expect(path(status, "workers", 0, "sourceID") as? String == "mysql-replica-01")

        let running = try lab.dmsim.dmctl(["switch-relay-master", "-w", worker]).json()
        #expect(path(running, "workers", 0, "result") as? Bool == false)
        #expect((path(running, "workers", 0, "msg") as? String)?.contains("[code=40039:") == true)

        let pauseRelay = try lab.dmsim.dmctl(["pause-relay", "-w", worker]).json()
        #expect(path(pauseRelay, "op") as? String == "PauseRelay")
        #expect(path(pauseRelay, "workers", 0, "result") as? Bool == true)
        let relayBefore = path(try lab.dmsim.dmctl(["query-status", "t1"]).json(), "workers", 0, "relayStatus", "relayBinlogGtid") as? String
        try lab.write(2, tag: "b")
        Thread.sleep(forTimeInterval: 0.5)
        status = try lab.dmsim.dmctl(["query-status", "t1"]).json()
        #expect(path(status, "workers", 0, "relayStatus", "stage") as? String == "Paused")
        #expect(path(status, "workers", 0, "relayStatus", "relayBinlogGtid") as? String == relayBefore)
        #expect(try lab.downstream.value("SELECT COUNT(*) FROM app.t") == "2")

        let pause = try lab.dmsim.dmctl(["pause-task", "t1"]).json()
        #expect(path(pause, "workers", 0, "meta", "result") as? Bool == true)
        try waitUntil(10, "the replica to catch up") { try lab.replica.fingerprint() == lab.primary.fingerprint() }
        try moveAddress(lab)
        let switched = try lab.dmsim.dmctl(["switch-relay-master", "-w", worker]).json()
        #expect(path(switched, "workers", 0, "result") as? Bool == true)
        #expect(path(try lab.dmsim.dmctl(["resume-relay", "-w", worker]).json(), "workers", 0, "result") as? Bool == true)
        #expect(path(try lab.dmsim.dmctl(["resume-task", "t1"]).json(), "workers", 0, "meta", "result") as? Bool == true)
        try lab.replica.execute("INSERT INTO app.t (v) VALUES ('after-switch')")
        try lab.waitInSync(lab.replica)
        status = try lab.dmsim.dmctl(["query-status", "t1"]).json()
        #expect(path(status, "workers", 0, "relayStatus", "relaySubDir") as? String == "1-2.000002")
        #expect(path(status, "workers", 0, "subTaskStatus", 0, "stage") as? String == "Running")
        #expect(try lab.violations().exitCode == 0)
    }
}
