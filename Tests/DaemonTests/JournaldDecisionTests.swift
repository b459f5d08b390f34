import Foundation
import Glibc
import Posix
import Sandbox
import Testing

extension DeploymentSuites {
    /// dmswitchd's decisions as they land in a real systemd-journald.
    ///
    /// journald runs in private namespaces (scripts/run-with-journald.sh, as the log's own tests
    /// do); dmswitchd runs outside them, as the lab starts it, with its `syslog-socket` at the
    /// namespace's /dev/log target. Needs root, unshare and journald: without them it fails, it
    /// never skips.
    @Suite("dmswitchd's decisions in a real journald", .serialized)
    struct JournaldDecisionTests {
        static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path

        /// One journal entry's fields.
        struct Entry {
            let fields: [String: Any]
            func string(_ key: String) -> String? { fields[key] as? String }
            var message: String { string("MESSAGE") ?? "" }
            var priority: String? { string("PRIORITY") }
            func has(code: String) -> Bool { message.contains(" code=\(code) ") || message.hasSuffix(" code=\(code)") }
        }

        /// A journald in namespaces, until `finish` stops it and reads what dmswitchd logged.
        final class NamespacedJournald {
            let directory: String
            let devLog: String
            private let child: ChildProcess
            private let release: String

            init() throws {
                for tool in ["/usr/bin/unshare", "/lib/systemd/systemd-journald", "/usr/bin/journalctl"] {
                    try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing; `make deps` installs it.")
                }
                try #require(geteuid() == 0, "the journald test needs root (for unshare and mounts); CI runs as root.")
                var template = Array("/tmp/dmsw-jd.XXXXXX".utf8CString)
                let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
                try #require(made != nil, "could not create a temporary directory")
                directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
                devLog = directory + "/run/systemd/journal/dev-log"
                release = directory + "/done"
                child = try Subprocess.spawn(
                    .init(
                        executable: "/usr/bin/unshare",
                        arguments: [
                            "--mount", "--pid", "--net", "--ipc", "--uts", "--fork", "--kill-child", "--mount-proc",
                            "--propagation", "private", JournaldDecisionTests.repository + "/scripts/run-with-journald.sh",
                            directory + "/journal", directory + "/run",
                            "/bin/sh", "-c", "while [ ! -e \"$1\" ]; do sleep 0.05; done", "sh", release,
                        ]),
                    stdout: .file(path: directory + "/script.log", append: true),
                    stderr: .file(path: directory + "/script.log", append: true))
                let deadline = ContinuousClock.now + .seconds(20)
                var info = stat()
                while ContinuousClock.now < deadline, stat(devLog, &info) != 0, child.isRunning { usleep(50_000) }
                try #require(stat(devLog, &info) == 0 && child.isRunning, "journald did not start: \(scriptLog)")
            }

            var scriptLog: String { (try? String(contentsOfFile: directory + "/script.log", encoding: .utf8)) ?? "" }

            /// Stops journald (it flushes) and returns dmswitchd's entries in journal order.
            func finish() throws -> [Entry] {
                try #require(FileManager.default.createFile(atPath: release, contents: nil))
                let status = try #require(child.wait(timeout: .seconds(30)), "the journald namespace did not exit")
                try #require(status == .exited(0), "the journald helper failed (\(status)): \(scriptLog)")
                let read = try Subprocess.run(.init(
                    executable: "/usr/bin/journalctl",
                    arguments: ["--directory=\(directory)/journal", "-o", "json", "--all", "--no-pager", "SYSLOG_IDENTIFIER=dmswitchd"],
                    deadline: .seconds(60)))
                try #require(read.status == .exited(0), "journalctl failed: \(read.stderr)")
                return try read.stdout.split(separator: "\n").map { line in
                    Entry(fields: try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]))
                }
            }

            deinit {
                if child.isRunning {
                    _ = child.signal(SIGKILL)
                    _ = child.wait()
                }
                _ = try? Subprocess.run(.init(executable: "/bin/rm", arguments: ["-rf", directory]))
            }
        }

        @Test("A refused switch is a WARNING, a failed run ERR, a failover's decisions NOTICE and its steps INFO, all as dmswitchd")
        func decisionsInJournal() async throws {
            let journald = try NamespacedJournald()
            let lab = try await DeploymentLab.start(LabOptions(scenario: .vip))
            defer { lab.shutdown() }
            let hook = "vip-move-command = [\"\(lab.directory)/move-vip.sh\"]"
            try lab.editConfiguration { $0.replacingOccurrences(of: "syslog-socket = \"\(lab.directory)/run/log.sock\"", with: "syslog-socket = \"\(journald.devLog)\"") }
            let working = try String(contentsOfFile: lab.configPath, encoding: .utf8)
            try await lab.startDaemon()
            let pid = try #require(lab.daemonProcess?.pid)
            #expect(await lab.waitForDecision("upstream-healthy"))
            try await lab.writeAndSettle()

            // Refused: db3 stops replicating and misses what DM then takes.
            try await lab.sandbox.execute(["STOP SLAVE"], on: 3)
            _ = try await lab.sandbox.writeRows(20)
            #expect(try await lab.consistency().isExact)
            let refused = try lab.dmswitchctl(["switchover", lab.group, "--to", "db3", "--yes"])
            #expect(refused.status == .exited(1) && refused.stderr.contains("lacks transactions"), "\(refused.stderr)")
            try await lab.sandbox.execute(["START SLAVE"], on: 3)
            try await lab.writeAndSettle(rows: 0)

            // Failed: a VIP hook that fails, no retries. Where the VIP points is then unknown, so the
            // run fails after the repoint, leaves the tasks paused and holds the group.
            try working.replacingOccurrences(of: hook, with: "vip-move-command = [\"/bin/false\"]")
                .replacingOccurrences(of: "[failover]\n", with: "[failover]\nstep-retries = 0\n")
                .write(toFile: lab.configPath, atomically: true, encoding: .utf8)
            try lab.ctl(["reload"])
            try lab.ctl(["switchover", lab.group, "--to", "db2", "--yes"])
            #expect(await lab.waitForDecision("run-failed-after-repoint"), "\(lab.decisionLog())")
            #expect(try await lab.sandbox.vipTarget() == 1)

            // A failover with the working hook once an operator has looked. It finds the task
            // already paused and does not pause it again.
            try working.write(toFile: lab.configPath, atomically: true, encoding: .utf8)
            try lab.ctl(["reload"])
            try lab.ctl(["release", lab.group])
            try lab.ctl(["ack", lab.group])
            try await lab.sandbox.kill(1)
            try await lab.sandbox.promote(2)
            #expect(await lab.waitForDecision("run-completed", timeout: .seconds(60)), "\(lab.decisionLog())")
            #expect(lab.stopDaemon() == .exited(0))

            let entries = try journald.finish()
            try #require(!entries.isEmpty, "nothing from dmswitchd in the journal: \(journald.scriptLog)")
            for entry in entries {
                #expect(entry.string("SYSLOG_PID") == String(pid))
                #expect(entry.string("SYSLOG_FACILITY") == "3")
                #expect(entry.string("_TRANSPORT") == "syslog")
            }
            func priorities(_ code: String) -> Set<String> { Set(entries.filter { $0.has(code: code) }.compactMap(\.priority)) }
            let expected: [(code: String, priority: String)] = [
                ("target-refused", "4"), ("step-gave-up", "3"), ("run-failed-after-repoint", "3"),
                ("upstream-down", "4"), ("candidate-chosen", "5"), ("step-intent", "6"), ("step-succeeded", "6"), ("check-passed", "5"),
                ("run-completed", "5"),
            ]
            for (code, priority) in expected {
                #expect(priorities(code) == [priority], "code=\(code): priorities \(priorities(code)), expected \(priority)")
            }
            // Every step of the failover, in order, under its run id.
            let completed = try #require(entries.last { $0.has(code: "run-completed") })
            let run = try #require(completed.message.split(separator: " ").first { $0.hasPrefix("run=") })
            let ended = ["step-succeeded", "check-passed", "step-already-done"]
            let steps = entries.filter { entry in ended.contains { entry.has(code: $0) } && entry.message.contains(" \(run) ") }
                .compactMap { $0.message.split(separator: " ").first { $0.hasPrefix("step=") }.map { String($0.dropFirst(5)) } }
            #expect(steps == ["query-status", "check", "pause-task", "recheck", "move-vip", "verify-identity-through-vip", "resume-task", "verify-running"])
            #expect(entries.contains { $0.message.hasPrefix("dmswitchd stops at the next step boundary") && $0.priority == "5" })
        }
    }
}
