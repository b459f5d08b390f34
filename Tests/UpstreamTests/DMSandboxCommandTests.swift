import Foundation
import Posix
import Sandbox
import Testing

extension UpstreamIntegration {
    @Suite("The dmsandbox command")
    struct DMSandboxCommand {
        static func dmsandbox(_ arguments: [String]) async throws -> Subprocess.Outcome {
            let options = Subprocess.Options(executable: try ProductLocator.path(of: "dmsandbox"), arguments: arguments, deadline: .seconds(120))
            return try await DedicatedThread.run(name: "dmsandbox") { () throws(SubprocessError) -> Subprocess.Outcome in
                try Subprocess.run(options)
            }
        }

        @Test("Usage errors exit 64 with one Error line and a pointer to --help", arguments: [
            ([], "Error: a command is required."),
            (["up"], "Error: --dir DIR is required (or set DMSANDBOX_DIR)."),
            (["kill", "--dir", "/nonexistent"], "Error: kill needs one instance number (1, 2, …)."),
            (["up", "--dir", "/x", "--instances", "12"], "Error: --instances must be a whole number from 1 to 9, not \"12\"."),
            (["write", "--dir", "/x", "--rate", "fast"], "Error: --rate must be a positive number of rows per second, not \"fast\"."),
            (["explode", "--dir", "/x"], "Error: unknown command \"explode\"."),
        ])
        func usage(arguments: [String], message: String) async throws {
            var environment = ProcessInfo.processInfo.environment
            environment["DMSANDBOX_DIR"] = nil
            let options = Subprocess.Options(executable: try ProductLocator.path(of: "dmsandbox"), arguments: arguments,
                                             environment: environment, deadline: .seconds(30))
            let outcome = try await DedicatedThread.run(name: "dmsandbox") { () throws(SubprocessError) -> Subprocess.Outcome in
                try Subprocess.run(options)
            }
            #expect(outcome.status == .exited(64))
            #expect(outcome.stderr == "\(message)\nUsage: dmsandbox <command> --dir DIR [options]\nSee 'dmsandbox --help'.\n")
            #expect(outcome.stdout.isEmpty)
        }

        @Test("up, write, kill, promote, write, down from another process; the writer follows the promotion")
        func endToEnd() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmsandbox-cli-\(getpid())").path
            try? FileManager.default.removeItem(atPath: directory)
            defer {
                if let sandbox = try? Sandbox.attach(directory: directory) { sandbox.destroy() }
                try? FileManager.default.removeItem(atPath: directory)
            }
            let up = try await Self.dmsandbox(["up", "--dir", directory, "--instances", "2"])
            #expect(up.status == .exited(0), "\(up.stderr)")
            let manifest = try SandboxManifest.load(directory: directory)
            #expect(manifest.instances.map(\.name) == ["db1", "db2"])
            #expect(!manifest.temporary)

            let status = try await Self.dmsandbox(["status", "--dir", directory, "--json"])
            let decoded = try JSONDecoder().decode(SandboxManifest.self, from: Data(status.stdout.utf8))
            #expect(decoded == manifest)

            let first = try await Self.dmsandbox(["write", "--dir", directory, "--rows", "3"])
            #expect(first.stdout.contains("acknowledged 3 rows (ids 1…3), 0 failed writes"), "\(first.stdout)\(first.stderr)")
            #expect(try await Self.dmsandbox(["kill", "1", "--dir", directory]).status == .exited(0))
            #expect(try await Self.dmsandbox(["promote", "2", "--dir", directory]).status == .exited(0))
            let second = try await Self.dmsandbox(["write", "--dir", directory, "--rows", "2"])
            #expect(second.stdout.contains("acknowledged 2 rows (ids 4…5)"), "\(second.stdout)\(second.stderr)")

            let ids = try String(contentsOfFile: directory + "/acknowledged-ids.txt", encoding: .utf8)
            #expect(ids == "1\n2\n3\n4\n5\n")
            #expect(try SandboxManifest.load(directory: directory).primary == 2)

            let down = try await Self.dmsandbox(["down", "--dir", directory])
            #expect(down.status == .exited(0))
            #expect(!FileManager.default.fileExists(atPath: directory + "/sandbox.json"))
            for pid in manifest.instances.compactMap(\.pid) {
                #expect(!ProcessSignal.isRunning(pid))
            }
        }
    }
}
