import Foundation
import Glibc
import Testing
@testable import Posix

@Suite("Subprocess")
struct SubprocessTests {
    @Test("Captures stdout, stderr and the exit code")
    func capturesOutput() throws {
        let outcome = try Subprocess.run(.init(
            executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2; exit 3"]))
        #expect(outcome.stdout == "out\n")
        #expect(outcome.stderr == "err\n")
        #expect(outcome.status == .exited(3))
        #expect(!outcome.timedOut)
        #expect(!outcome.truncated)
    }

    @Test("Finds a bare executable name in PATH")
    func searchesPath() throws {
        let outcome = try Subprocess.run(.init(executable: "echo", arguments: ["hello", "world"]))
        #expect(outcome.stdout == "hello world\n")
    }

    @Test("A missing executable is a spawn error naming it")
    func missingExecutable() {
        #expect {
            try Subprocess.run(.init(executable: "/nonexistent/dmctl"))
        } throws: { error in
            "\(error)".contains("/nonexistent/dmctl") && "\(error)".contains("No such file")
        }
    }

    @Test("The child starts with an empty signal mask and its own process group")
    func cleanSignalState() throws {
        // Run from a Dispatch thread on purpose: that is where the daemon spawns
        // from, and where Foundation.Process would hand down a blocked mask.
        let outcome = try DispatchQueue.global().sync {
            try Subprocess.run(.init(
                executable: "/bin/sh",
                arguments: ["-c", "grep -E '^SigBlk' /proc/self/status; ps -o pgid= -p $$; echo $$"]))
        }
        let lines = outcome.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        try #require(lines.count == 3)
        #expect(lines[0].hasSuffix("0000000000000000"))
        #expect(lines[1] == lines[2], "the child leads its own process group")
    }

    @Test("The systemd notification variables never reach the child")
    func stripsSystemdVariables() throws {
        let outcome = try Subprocess.run(.init(
            executable: "/usr/bin/env",
            environment: ["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "1", "KEEP": "yes"]))
        #expect(outcome.stdout == "KEEP=yes\n")
    }

    @Test("Runs in the requested working directory")
    func workingDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let outcome = try Subprocess.run(.init(executable: "/bin/pwd", workingDirectory: directory))
        #expect(outcome.stdout.trimmingCharacters(in: .newlines)
            == URL(fileURLWithPath: directory).resolvingSymlinksInPath().path)
    }

    @Test("The deadline kills the whole process group, grandchildren included")
    func deadlineKillsGroup() throws {
        // A sleep with a unique duration marks the grandchild for pgrep.
        let marker = "sleep 30.\(Int.random(in: 100_000..<999_999))"
        let outcome = try Subprocess.run(.init(
            executable: "/bin/sh",
            arguments: ["-c", "\(marker) & \(marker)"],
            deadline: .milliseconds(300)))
        #expect(outcome.timedOut)
        #expect(outcome.status == .signaled(SIGKILL))
        #expect(outcome.duration < .seconds(10))
        let leftovers = try Subprocess.run(.init(executable: "pgrep", arguments: ["-f", marker]))
        #expect(leftovers.stdout.isEmpty)
    }

    @Test("Output beyond the limit is dropped, and the child is never blocked by it")
    func boundedOutput() throws {
        let outcome = try Subprocess.run(.init(
            executable: "/bin/sh",
            arguments: ["-c", "head -c 2000000 /dev/zero | tr '\\\\0' x; echo done >&2"],
            outputLimit: 1000))
        #expect(outcome.stdout.utf8.count == 1000)
        #expect(outcome.truncated)
        #expect(outcome.stderr == "done\n")
        #expect(outcome.status == .exited(0))
    }

    @Test("A spawned child can be stopped, continued and killed by group")
    func spawnedChild() throws {
        let child = try Subprocess.spawn(.init(executable: "/bin/sleep", arguments: ["30"]))
        #expect(child.isRunning)
        #expect(child.signal(SIGSTOP))
        #expect(child.signal(SIGCONT))
        #expect(child.signal(SIGKILL))
        #expect(child.wait() == .signaled(SIGKILL))
        #expect(!child.signal(SIGKILL), "a reaped child is never signalled again")
    }

    @Test("A spawned child's output can go to a file")
    func spawnToFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(getpid()).log").path
        defer { unlink(path) }
        let child = try Subprocess.spawn(
            .init(executable: "/bin/sh", arguments: ["-c", "echo logged"]),
            stdout: .file(path: path, append: false))
        #expect(child.wait() == .exited(0))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "logged\n")
    }
}

@Suite("AtomicFile")
struct AtomicFileTests {
    @Test("Replaces a file whole and leaves no temporary behind")
    func replaces() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/state.json"
        try AtomicFile.write(path: path, text: "first")
        try AtomicFile.write(path: path, text: "second")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["state.json"])
    }

    @Test("A missing directory is an error naming the path")
    func missingDirectory() {
        #expect {
            try AtomicFile.write(path: "/nonexistent-dir/x", text: "y")
        } throws: { error in
            "\(error)".contains("/nonexistent-dir/x")
        }
    }
}
