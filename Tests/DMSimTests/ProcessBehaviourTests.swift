import Foundation
import Testing

/// dmsim as a process: exit codes, stderr, dmctl.log, and injected faults (no servers needed).
@Suite("dmsim process behaviour and fault injection", .serialized)
struct ProcessBehaviourTests {
    @Test("An unknown master address fails like dmctl: exit 1 and a 48001 error on stderr")
    func unreachable() async throws {
        let dmsim = try await DMSimRunner.start(version: "v6.5.0", directory: try temporaryRoot("unreachable"))
        defer { try? FileManager.default.removeItem(atPath: dmsim.directory) }
        let output = try await dmsim.run(["--master-addr", "127.0.0.1:1", "query-status"])
        #expect(output.exitCode == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("Error: [code=48001:class=dmctl:scope=internal:level=high], Message: can't connect to 127.0.0.1:1: can not create grpc connection"))
    }

    @Test("Usage errors exit 1 with the usage on stdout; unknown commands exit 1")
    func usage() async throws {
        let dmsim = try await DMSimRunner.start(version: "v6.5.0", directory: try temporaryRoot("usage"))
        defer { try? FileManager.default.removeItem(atPath: dmsim.directory) }
        let extra = try await dmsim.dmctl(["pause-task", "a", "b"])
        #expect(extra.exitCode == 1)
        #expect(extra.stdout.hasPrefix("Usage:\n  dmctl pause-task"))
        #expect(extra.stderr == "Error: please check output to see error\n")
        let unknown = try await dmsim.dmctl(["frobnicate"])
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr.hasPrefix("Error: unknown command \"frobnicate\" for \"dmctl\""))
        let noMaster = try await dmsim.run(["query-status"])
        #expect(noMaster.exitCode == 1)
        #expect(noMaster.stderr.hasPrefix("Error: --master-addr not provided"))
    }

    @Test("dmsim writes dmctl.log in its working directory and exits 2 when it cannot")
    func dmctlLog() async throws {
        let dmsim = try await DMSimRunner.start(version: "v6.5.0", directory: try temporaryRoot("log"))
        defer { try? FileManager.default.removeItem(atPath: dmsim.directory) }
        #expect(try await dmsim.dmctl(["query-status"]).exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: dmsim.directory + "/cwd/dmctl.log"))
        let blocked = dmsim.directory + "/blocked"
        try FileManager.default.createDirectory(atPath: blocked + "/dmctl.log", withIntermediateDirectories: true)
        let output = try await dmsim.run(["--master-addr", dmsim.master, "query-status"], cwd: blocked)
        #expect(output.exitCode == 2)
        #expect(output.stderr.hasPrefix("init logger error"))
    }

    @Test("A result-false fault answers the next N calls of one command, then stops")
    func resultFalse() async throws {
        let dmsim = try await DMSimRunner.start(version: "v6.5.0", directory: try temporaryRoot("fault-false"))
        defer { try? FileManager.default.removeItem(atPath: dmsim.directory) }
        #expect(try await dmsim.run(["sim-fault", "--command", "pause-task", "--kind", "result-false", "--count", "2",
                               "--message", "worker busy"]).exitCode == 0)
        for _ in 0..<2 {
            let output = try await dmsim.dmctl(["pause-task", "t1"])
            #expect(output.exitCode == 0)
            #expect(output.stdout == "{\n    \"op\": \"Pause\",\n    \"result\": false,\n    \"msg\": \"worker busy\",\n    \"sources\": []\n}\n")
        }
        let after = try await dmsim.dmctl(["pause-task", "t1"]).json()
        #expect(path(after, "msg") as? String == "task t1 has no source or not exist, please check the task name and status")
        #expect(try await dmsim.dmctl(["query-status"]).exitCode == 0)
    }

    @Test("Unreachable and hang faults: exit 1 with 48001, and a call that never returns")
    func unreachableAndHang() async throws {
        let dmsim = try await DMSimRunner.start(version: "v6.5.0", directory: try temporaryRoot("fault-hang"))
        defer { try? FileManager.default.removeItem(atPath: dmsim.directory) }
        try await dmsim.run(["sim-fault", "--command", "query-status", "--kind", "unreachable"])
        let down = try await dmsim.dmctl(["query-status"])
        #expect(down.exitCode == 1)
        #expect(down.stderr.contains("48001"))
        #expect(try await dmsim.dmctl(["query-status"]).exitCode == 0)

        try await dmsim.run(["sim-fault", "--command", "resume-task", "--kind", "hang"])
        let started = Date()
        let hung = try await dmsim.run(["--master-addr", dmsim.master, "resume-task", "t1"], deadline: .seconds(2))
        #expect(hung.exitCode == 128 + SIGKILL)
        #expect(Date().timeIntervalSince(started) < 10)
        // The hang held no lock: other commands still answer, and the fault was used up.
        #expect(try await dmsim.dmctl(["query-status"]).exitCode == 0)
        #expect(path(try await dmsim.dmctl(["resume-task", "t1"]).json(), "op") as? String == "Resume")
        let events = try await dmsim.run(["sim-events"]).stdout
        #expect(events.contains("injected hang"))
    }

    @Test("list-member lists the configured masters and free workers")
    func listMember() async throws {
        let dmsim = try await DMSimRunner.start(version: "v6.5.0", directory: try temporaryRoot("members"))
        defer { try? FileManager.default.removeItem(atPath: dmsim.directory) }
        let members = try await dmsim.dmctl(["list-member", "--worker"]).json()
        #expect(path(members, "members", 0, "worker", "workers", 0, "name") as? String == "dm-worker-1")
        #expect(path(members, "members", 0, "worker", "workers", 0, "stage") as? String == "free")
        let leader = try await dmsim.dmctl(["list-member", "--leader"]).json()
        #expect(path(leader, "members", 0, "leader", "addr") as? String == dmsim.master)
    }

    static let inventoryRefusals: [(String, String)] = [
        ("dm_worker1 ansible_host=127.0.0.1 mysql_host=127.0.0.1 mysql_port=3306",
         "Error: The worker dm_worker1 in the inventory \"INVENTORY\" (line 2) has no source_id.\n"),
        ("dm_worker1 source_id=s1 mysql_host=127.0.0.1 mysql_port=3306",
         "Error: The worker dm_worker1 in the inventory \"INVENTORY\" (line 2) has no ansible_host.\n"),
        ("dm_worker1 ansible_host=h source_id=s1 mysql_host=127.0.0.1 mysql_port=db",
         "Error: Could not read the DM-Ansible inventory \"INVENTORY\": line 2: `mysql_port` is \"db\", not a port number.\n"),
        ("dm_worker2 ansible_host=h source_id=s1 mysql_host=127.0.0.1",
         "Error: Could not read the DM-Ansible inventory \"INVENTORY\": no host line for worker \"dm_worker1\" sets `mysql_host`.\n"),
    ]

    @Test("sim-add-worker refuses an inventory line it cannot serve, naming the file and the line", arguments: inventoryRefusals)
    func inventoryRefused(line: String, message: String) async throws {
        let dmsim = try await DMSimRunner.start(version: "v1.0.7", directory: try temporaryRoot("inventory"))
        defer { try? FileManager.default.removeItem(atPath: dmsim.directory) }
        let inventory = try dmsim.write("inventory.ini", "[dm_worker_servers]\n\(line)\n")
        let output = try await dmsim.run(["sim-add-worker", "--inventory", inventory, "--alias", "dm_worker1"])
        #expect(output.exitCode == 1)
        #expect(output.stderr == message.replacingOccurrences(of: "INVENTORY", with: inventory))
        #expect(try await dmsim.dmctl(["query-status"]).stdout.contains("\"tasks\": []"))
    }
}
