import DMSwitchLog
import Foundation
import Glibc
import Posix
import Testing

/// The log lines in a real systemd-journald (run in private namespaces by
/// scripts/run-with-journald.sh), read back with journalctl. Needs root, unshare and journald;
/// without them it fails, it never skips.
@Suite("Syslog lines in a real journald", .serialized)
struct JournaldTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    struct Entry {
        let fields: [String: Any]
        func string(_ key: String) -> String? { fields[key] as? String }
    }

    /// Starts journald in namespaces, runs `body` with the path of its syslog socket, and returns
    /// the journal's entries from dmswitchd.
    func withJournald(_ body: (String) throws -> Void) throws -> [Entry] {
        for tool in ["/usr/bin/unshare", "/lib/systemd/systemd-journald", "/usr/bin/journalctl"] {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing; `make deps` installs it.")
        }
        try #require(geteuid() == 0, "the journald test needs root (for unshare and mounts); CI runs as root.")
        let directory = try TemporaryDirectory()
        let journal = directory.file("journal")
        let runtime = directory.file("run")
        let logged = directory.file("logged")
        let child = try Subprocess.spawn(
            .init(
                executable: "/usr/bin/unshare",
                arguments: [
                    "--mount", "--pid", "--net", "--ipc", "--uts", "--fork", "--kill-child", "--mount-proc",
                    "--propagation", "private", Self.repository + "/scripts/run-with-journald.sh", journal, runtime,
                    "/bin/sh", "-c", "while [ ! -e \"$1\" ]; do sleep 0.05; done", "sh", logged,
                ]),
            stdout: .file(path: directory.file("script.log"), append: true),
            stderr: .file(path: directory.file("script.log"), append: true))
        defer {
            if child.isRunning {
                _ = child.signal(SIGKILL)
                _ = child.wait()
            }
        }
        let socket = runtime + "/systemd/journal/dev-log"
        let started = eventually(within: .seconds(20)) {
            var info = stat()
            return stat(socket, &info) == 0 || !child.isRunning
        }
        let scriptLog = { (try? String(contentsOfFile: directory.file("script.log"), encoding: .utf8)) ?? "" }
        try #require(started && child.isRunning, "journald did not start: \(scriptLog())")
        try body(socket)
        try #require(FileManager.default.createFile(atPath: logged, contents: nil), "could not create \(logged)")
        let status = try #require(child.wait(timeout: .seconds(30)), "the journald namespace did not exit")
        try #require(status == .exited(0), "the journald helper failed (\(status)): \(scriptLog())")

        let read = try run(
            "/usr/bin/journalctl", ["--directory=\(journal)", "-o", "json", "--all", "--no-pager", "SYSLOG_IDENTIFIER=dmswitchd"])
        try #require(read.status == .exited(0), "journalctl failed: \(read.stderr)")
        return try read.stdout.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return Entry(fields: try #require(object as? [String: Any]))
        }
    }

    @Test("Events land with identifier, pid, priority, facility and the one-line message")
    func eventsInJournal() throws {
        let entries = try withJournald { socket in
            let writer = try SyslogWriter(.init(socketPath: socket, facility: .daemon))
            let log = EventLog(sinks: [writer])
            log.log(.notice, "Switched DM to a new upstream", ["group": "orders", "run": "r-7", "from": "db-a", "to": "db-b"])
            log.log(.warning, "Refused to switch: no eligible candidate", ["group": "orders", "password": "hunter2"])
            log.log(.err, "Run failed", ["group": "orders", "error": "dmctl exited 1\n(task not found)"])
            let local3 = try SyslogWriter(.init(socketPath: socket, facility: .local3))
            local3.send(.info, line: "Paused task task=orders")
            #expect(writer.statistics.sent == 3)
        }
        try #require(entries.count == 4, "expected 4 entries, got \(entries.map { $0.fields })")
        let expected: [(message: String, priority: String, facility: String)] = [
            ("Switched DM to a new upstream group=orders run=r-7 from=db-a to=db-b", "5", "3"),
            ("Refused to switch: no eligible candidate group=orders password=[redacted]", "4", "3"),
            ("Run failed group=orders error=\"dmctl exited 1\\n(task not found)\"", "3", "3"),
            ("Paused task task=orders", "6", "19"),
        ]
        for (entry, want) in zip(entries, expected) {
            #expect(entry.string("MESSAGE") == want.message)
            #expect(entry.string("PRIORITY") == want.priority)
            #expect(entry.string("SYSLOG_FACILITY") == want.facility)
            #expect(entry.string("SYSLOG_IDENTIFIER") == "dmswitchd")
            #expect(entry.string("SYSLOG_PID") == String(getpid()))
            #expect(entry.string("_TRANSPORT") == "syslog")
            #expect(entry.string("SYSLOG_RAW") == nil, "journald did not parse the line as glibc's format")
            let timestamp = try #require(entry.string("SYSLOG_TIMESTAMP"))
            #expect(timestamp.range(of: #"^[A-Z][a-z]{2} [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] $"#, options: .regularExpression) != nil)
        }
        #expect(!entries.contains { ($0.string("MESSAGE") ?? "").contains("hunter2") })
    }
}
