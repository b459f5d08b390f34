import Synchronization
import Foundation
import Posix
import Testing

@testable import DM

/// Runs the backend against a tiny shell script standing in for dmctl: it writes
/// `dmctl.log` into its working directory like dmctl does, records its argv, and then
/// behaves as `FAKE_DMCTL_MODE` says.
@Suite("dmctl backend spawning", .serialized)
struct DMCtlBackendSpawnTests {
    static let script = #"""
        #!/bin/sh
        echo "run $*" >> dmctl.log || { echo "init logger error" ; exit 2; }
        printf '%s\n' "$@" > argv.txt
        echo "NOTIFY_SOCKET=${NOTIFY_SOCKET:-unset}" > env.txt
        case "$FAKE_DMCTL_MODE" in
        pause)
            printf '%s\n' '{' '    "op": "Pause",' '    "result": true,' '    "msg": "",' '    "sources": [' \
                '        {"result": true, "msg": "", "source": "mysql-replica-01", "worker": "worker1"}' '    ]' '}'
            ;;
        pause-refused)
            printf '%s\n' '{' '    "op": "Pause",' '    "result": true,' '    "msg": "",' '    "sources": [' \
                '        {"result": false, "msg": "[code=38045:class=dm-master:scope=internal:level=medium], Message: fail to get expected result", "source": "mysql-replica-01", "worker": "worker1"}' '    ]' '}'
            ;;
        unreachable)
            echo "Error: [code=48001:class=dmctl:scope=internal:level=high], Message: can not create grpc connection" >&2
            echo "Run 'dmctl --help' for usage." >&2
            exit 1
            ;;
        hang)
            sleep 300 &
            echo $! > child.pid
            sleep 300
            ;;
        replay)
            cat "$FAKE_DMCTL_OUTPUT"
            ;;
        flood)
            head -c 1048576 /dev/zero | tr '\000' 'x'
            echo
            ;;
        *)
            echo "unknown mode" >&2
            exit 3
            ;;
        esac
        """#

    /// A temporary directory holding the fake dmctl and a not-yet-existing working directory.
    struct Sandbox {
        let directory: TemporaryDirectory
        let dmctl: String
        let workingDirectory: String
        var root: String { directory.path }

        init() throws {
            directory = try TemporaryDirectory("dmctl")
            workingDirectory = directory.path + "/state/dmctl"
            dmctl = directory.path + "/dmctl"
            // Written with O_CLOEXEC (AtomicFile): a write descriptor inherited by a child
            // another test forks at that moment would make exec fail with "Text file busy".
            try AtomicFile.write(path: dmctl, text: DMCtlBackendSpawnTests.script, mode: 0o755)
        }

        func backend(
            mode: String, version: String = "v6.5.0", timeout: Duration = .seconds(20), outputLimit: Int = 8 << 20,
            replay: String? = nil, transcript: DMCtlTranscriptHook? = nil
        ) throws -> DMCtlBackend {
            var environment = ["PATH": "/usr/bin:/bin", "FAKE_DMCTL_MODE": mode, "NOTIFY_SOCKET": "/run/systemd/notify"]
            if let replay {
                let file = root + "/reply.txt"
                try replay.write(toFile: file, atomically: true, encoding: .utf8)
                environment["FAKE_DMCTL_OUTPUT"] = file
            }
            let configuration = DMCtlConfiguration(
                dmctlPath: dmctl, version: DMVersion(version) ?? DMVersion(major: 6),
                masterAddresses: version.hasPrefix("v1") ? ["127.0.0.1:8261"] : ["127.0.0.1:8261", "127.0.0.2:8261"],
                commandTimeout: timeout, workingDirectory: workingDirectory,
                workerAddresses: ["mysql-replica-01": "127.0.0.1:8262"], outputLimit: outputLimit,
                environment: environment)
            return try DMCtlBackend(configuration: configuration, transcript: transcript)
        }

        func read(_ name: String) throws -> String {
            try String(contentsOfFile: workingDirectory + "/" + name, encoding: .utf8)
        }

        func remove() { directory.remove() }
    }

    /// Collects transcript entries from the thread that ran dmctl.
    final class Recorder: Sendable {
        private let entries = Mutex<[DMCtlTranscriptEntry]>([])
        func record(_ entry: DMCtlTranscriptEntry) { entries.withLock { $0.append(entry) } }
        var all: [DMCtlTranscriptEntry] { entries.withLock { $0 } }
    }

    @Test("A v2+ pause runs dmctl in the created working directory with the exact argv and no NOTIFY_SOCKET")
    func pause() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let recorder = Recorder()
        let backend = try sandbox.backend(mode: "pause", transcript: recorder.record)
        let reply = try backend.pauseTask("orders", source: "mysql-replica-01")
        #expect(reply.succeeded)
        #expect(reply.members.first?.worker == "worker1")
        let argv = try sandbox.read("argv.txt").split(separator: "\n").map(String.init)
        #expect(argv == ["--master-addr", "127.0.0.1:8261,127.0.0.2:8261", "--rpc-timeout", "15s", "pause-task", "-s", "mysql-replica-01", "orders"])
        #expect(try sandbox.read("dmctl.log").hasPrefix("run --master-addr"))
        #expect(try sandbox.read("env.txt") == "NOTIFY_SOCKET=unset\n")
        let entry = try #require(recorder.all.first)
        #expect(recorder.all.count == 1)
        #expect(entry.argv == [sandbox.dmctl] + argv)
        #expect(entry.status == .exited(0))
        #expect(!entry.timedOut && !entry.truncated)
        #expect(entry.stdout.contains("\"op\": \"Pause\""))
        #expect(entry.duration > .zero)
    }

    @Test("A v1.0 pause-relay uses -master-addr and the source's worker address")
    func v1PauseRelayArgv() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let backend = try sandbox.backend(mode: "unreachable", version: "v1.0.7")
        #expect(throws: DMError.self) { try backend.pauseRelay(source: "mysql-replica-01") }
        let argv = try sandbox.read("argv.txt").split(separator: "\n").map(String.init)
        #expect(argv == ["-master-addr", "127.0.0.1:8261", "pause-relay", "-w", "127.0.0.1:8262"])
    }

    @Test("Exit 0 with a member's result false is a rejection naming the source and DM's message")
    func memberRefused() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let error = try #require(throws: DMError.self) {
            try sandbox.backend(mode: "pause-refused").pauseTask("orders", source: nil)
        }
        #expect(error.isRejection)
        #expect(error.codes == [38045])
        #expect(error.description.hasPrefix(#"Could not pause DM task "orders": source "mysql-replica-01" on worker "worker1" answered "[code=38045"#))
    }

    @Test("An unreachable master (exit 1, Error: on stderr) is an error carrying dmctl's text")
    func unreachable() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let error = try #require(throws: DMError.self) { try sandbox.backend(mode: "unreachable").queryStatus(task: "orders") }
        #expect(
            error.failure
                == .exited(status: 1, message: "[code=48001:class=dmctl:scope=internal:level=high], Message: can not create grpc connection"))
        #expect(error.codes == [48001])
        #expect(error.description.hasPrefix(#"Could not query the status of DM task "orders": dmctl exited 1 ("[code=48001"#))
    }

    @Test("A dmctl that outlives the deadline is killed with its whole process group")
    func deadline() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let recorder = Recorder()
        let started = ContinuousClock.now
        let error = try #require(throws: DMError.self) {
            try sandbox.backend(mode: "hang", timeout: .seconds(1), transcript: recorder.record).queryStatus(task: "orders")
        }
        let elapsed = ContinuousClock.now - started
        #expect(error.failure == .timedOut(after: .seconds(1)))
        #expect(elapsed < .seconds(10), "bounded by the deadline, not by the 300 s sleep")
        #expect(recorder.all.first?.timedOut == true)
        let childPID = try #require(Int32(try sandbox.read("child.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        // The background sleep was in dmctl's process group: it is gone (or a zombie awaiting its new parent).
        var gone = false
        for _ in 0..<50 where !gone {
            gone = Self.isGoneOrZombie(childPID)
            if !gone { usleep(100_000) }
        }
        #expect(gone, "the grandchild \(childPID) survived the group kill")
    }

    @Test("Output beyond the limit is dropped while draining, and the cut reply is reported as such")
    func boundedOutput() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let recorder = Recorder()
        let error = try #require(throws: DMError.self) {
            try sandbox.backend(mode: "flood", outputLimit: 65536, transcript: recorder.record).queryStatus(task: "orders")
        }
        let entry = try #require(recorder.all.first)
        #expect(entry.status == .exited(0))
        #expect(entry.truncated)
        #expect(entry.stdout.utf8.count == 65536)
        #expect(error.description.contains("it was cut off at the output limit of 65536 bytes"))
    }

    @Test("A missing dmctl binary cannot be started, and says so")
    func missingBinary() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var configuration = try sandbox.backend(mode: "pause").configuration
        configuration.dmctlPath = sandbox.root + "/no-such-dmctl"
        let recorder = Recorder()
        let backend = try DMCtlBackend(configuration: configuration, transcript: recorder.record)
        let error = try #require(throws: DMError.self) { try backend.listMembers() }
        guard case .couldNotStart = error.failure else {
            Issue.record("unexpected failure \(error)")
            return
        }
        #expect(error.description.hasPrefix("Could not list the DM cluster members: dmctl could not be started ("))
        #expect(recorder.all.first?.startFailure != nil)
    }

    @Test("A working directory that cannot be created is refused before dmctl runs")
    func badWorkingDirectory() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        var configuration = try sandbox.backend(mode: "pause").configuration
        configuration.workingDirectory = sandbox.dmctl + "/sub"  // below a regular file
        let error = try #require(throws: DMError.self) { try DMCtlBackend(configuration: configuration) }
        #expect(error.description.contains("dmctl's working directory \"\(sandbox.dmctl)/sub\" cannot be created"))
    }

    @Test("Configurations that cannot work are refused with a reason", arguments: [
        ("v6.5.0", [String](), "no DM-master address is configured"),
        ("v6.5.0", ["a:1,b:2"], "is not a single host:port"),
        ("v1.0.7", ["a:1", "b:2"], "DM v1.0 has one DM-master"),
    ])
    func invalidConfiguration(version: String, masters: [String], reason: String) throws {
        let configuration = DMCtlConfiguration(
            dmctlPath: "dmctl", version: DMVersion(version) ?? DMVersion(major: 6), masterAddresses: masters,
            workingDirectory: NSTemporaryDirectory())
        let error = try #require(throws: DMError.self) { try DMCtlBackend(configuration: configuration) }
        #expect(error.description.contains(reason))
    }

    /// Whether `pid` no longer runs: absent from /proc, or a zombie.
    static func isGoneOrZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }
}
