import Control
import Foundation
import Glibc
import Sandbox

/// `dmbench`: runs the parts asked for, prints the table, writes the JSON; takes
/// everything down after each part, on failure and on SIGINT/SIGTERM.
enum Bench {
    static func main(_ arguments: [String]) async -> Int32 {
        let options: BenchOptions
        do {
            options = try BenchOptions.parse(arguments)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error.message)\nUsage: \(BenchOptions.synopsis)\nSee 'dmbench --help'.\n".utf8))
            return 64
        }
        if options.help {
            say(BenchOptions.help)
            return 0
        }
        let teardown = Teardown()
        let handlers = SignalHandlers.install([
            SIGINT: { @Sendable in interrupted(SIGINT, teardown) },
            SIGTERM: { @Sendable in interrupted(SIGTERM, teardown) },
        ])
        defer { handlers.cancel() }
        let started = ContinuousClock.now
        let machine = BenchReport.Machine.current()
        let progress: @Sendable (String) -> Void = { text in
            let elapsed = Int((ContinuousClock.now - started).seconds)
            say(String(format: "[%02d:%02d] ", elapsed / 60, elapsed % 60) + text)
        }
        progress("dmbench on \(machine.cores) cores (\(machine.cpu)), load \(machine.loadAtStart); \(options.repetitions) repetitions per profile and fault")
        do {
            var standard: [FailoverSample] = []
            var fast: [FailoverSample] = []
            var footprint: [FootprintSample] = []
            if options.failover {
                standard = try await FailoverBench(profile: .standard, repetitions: options.repetitions, teardown: teardown, progress: progress).run()
                teardown.run()
                fast = try await FailoverBench(profile: .fast, repetitions: options.repetitions, teardown: teardown, progress: progress).run()
                teardown.run()
            }
            if options.footprint {
                footprint = try await FootprintBench(counts: options.footprintGroups, seconds: options.footprintSeconds,
                                                     teardown: teardown, progress: progress).run()
                teardown.run()
            }
            let report = BenchReport(
                command: (["dmbench"] + arguments).joined(separator: " "),
                date: ISO8601DateFormatter().string(from: Date()),
                build: ProductLocator.directory.hasSuffix("/release") ? "release" : "debug",
                wallSeconds: ((ContinuousClock.now - started).seconds).rounded(),
                machine: machine, series: BenchReport.series(default: standard, fast: fast), footprint: footprint)
            let directory = (options.output as NSString).deletingLastPathComponent
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            try report.json().write(to: URL(fileURLWithPath: options.output))
            say("\n" + report.table() + "\n")
            progress("done; results in \(options.output)")
            return 0
        } catch {
            teardown.run()
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            return 1
        }
    }

    /// One line on stdout, unbuffered (progress must show while a part runs).
    private static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    private static func interrupted(_ signal: Int32, _ teardown: Teardown) {
        FileHandle.standardError.write(Data("\nInterrupted: taking everything down…\n".utf8))
        teardown.run()
        exit(128 + signal)
    }
}
