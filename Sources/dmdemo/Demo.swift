import Control
import Foundation
import Glibc
import Sandbox

/// `dmdemo`: parses the command line, runs the script, and owns the exit paths
/// (PASS 0, FAIL 1, usage 64, interrupted 130 — always after cleaning up).
enum Demo {
    static func main(_ arguments: [String]) async -> Int32 {
        let options: DemoOptions
        do {
            options = try DemoOptions.parse(arguments)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error.message)\nUsage: \(DemoOptions.synopsis)\nSee 'dmdemo --help'.\n".utf8))
            return 64
        }
        if options.help {
            print(DemoOptions.help)
            return 0
        }
        let terminal = Terminal()
        let resources = DemoResources()
        let handlers = SignalHandlers.install([
            SIGINT: { @Sendable in interrupted(SIGINT, terminal: terminal, resources: resources) },
            SIGTERM: { @Sendable in interrupted(SIGTERM, terminal: terminal, resources: resources) },
        ])
        let verdict: DemoRun.Verdict
        do {
            verdict = try await DemoRun(options: options, terminal: terminal, resources: resources).run()
        } catch {
            verdict = .fail("The demo could not go on: \(error.description)")
        }
        handlers.cancel()
        terminal.line()
        switch verdict {
        case .pass:
            terminal.line("PASS — DM followed the group to its new primary; the downstream has every acknowledged row, once.", .green)
        case .fail(let why):
            terminal.line("FAIL — \(why)", .red)
        }
        if let removed = resources.cleanUp() { terminal.line("Cleaned up: \(removed)", .dim) }
        if case .pass = verdict { return 0 }
        return 1
    }

    /// Ctrl-C or SIGTERM: take everything down, say so, and exit 128 + signal. The
    /// script may still be running on another thread, so the terminal is muted first:
    /// what it would say about its servers vanishing is not news.
    private static func interrupted(_ signal: Int32, terminal: Terminal, resources: DemoResources) {
        terminal.last("\nInterrupted (\(signal == SIGINT ? "SIGINT" : "SIGTERM")): cleaning up…", .yellow)
        let removed = resources.cleanUp()
        // Servers of a deployment still being built are killed, and its directory
        // removed, by the sandbox's exit handler.
        terminal.last("Cleaned up: \(removed ?? "the servers started so far stop and their directory is removed as the demo exits.")", .dim)
        exit(128 + signal)
    }
}
