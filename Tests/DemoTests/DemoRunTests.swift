import Foundation
import Posix
import Sandbox
import Testing

/// `make demo` as a script would run it: no terminal, the default scenario.
@Suite("dmdemo", .serialized)
struct DemoRunTests {
    private func runDemo(_ arguments: [String], deadline: Duration) async throws -> Subprocess.Outcome {
        let demo = try ProductLocator.path(of: "dmdemo")
        return try await DedicatedThread.run(name: "dmdemo") { () throws(SubprocessError) -> Subprocess.Outcome in
            try Subprocess.run(.init(executable: demo, arguments: arguments, deadline: deadline, outputLimit: 4 << 20))
        }
    }

    @Test("The demo fails over under writes, prints PASS in plain text, exits 0 and removes its sandbox")
    func passes() async throws {
        let outcome = try await runDemo([], deadline: .seconds(300))
        #expect(outcome.status == .exited(0), "stdout ends: \(outcome.stdout.suffix(4000))\nstderr: \(outcome.stderr)")
        #expect(outcome.stdout.contains("\nPASS — "))
        #expect(outcome.stdout.contains("dmswitchd │ "), "dmswitchd's own lines are shown, prefixed")
        #expect(!outcome.stdout.contains("\u{1B}["), "no colors without a terminal")
        let cleaned = try #require(outcome.stdout.split(separator: "\n").last { $0.hasPrefix("Cleaned up: ") })
        let directory = try #require(cleaned.split(separator: " ").first { $0.hasPrefix("/") }.map(String.init))
        #expect(!FileManager.default.fileExists(atPath: directory), "the sandbox directory \(directory) is removed")
    }

    @Test("A bad argument is a usage error that names it, before anything starts", arguments: [
        (["--scenario", "dns"], "--scenario must be vip or address"),
        (["--dm", "v9"], "--dm must be v2, v1 or a DM release"),
        (["--rate"], "option '--rate' needs a value"),
        (["--verbose"], "unknown argument '--verbose'"),
    ])
    func usage(arguments: [String], message: String) async throws {
        let outcome = try await runDemo(arguments, deadline: .seconds(30))
        #expect(outcome.status == .exited(64))
        #expect(outcome.stderr.hasPrefix("Error: \(message)"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }
}
