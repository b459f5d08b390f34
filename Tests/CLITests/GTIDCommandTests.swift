import Foundation
import Testing
@testable import dmswitchctl

private let a = "3ccc475b-2343-11e7-be21-6c0b84d59f30"

@Suite("dmswitchctl gtid")
struct GTIDCommandTests {
    @Test("contains: exit 0 when contained, 1 with what is missing otherwise", arguments: [
        (["contains", "\(a):1-10", "\(a):2-5"], CLIResult(status: 0, stdout: "contained\n")),
        (["contains", "\(a):1-10", "\(a):5-12"],
         CLIResult(status: 1, stdout: "not contained; missing: \(a):11-12\n")),
        (["contains", "0-1-100", "0-1-90"], CLIResult(status: 0, stdout: "contained\n")),
        (["contains", "0-1-90", "0-1-100"],
         CLIResult(status: 1, stdout: "not contained; missing: domain 0: 91-100\n")),
        (["contains", "", ""], CLIResult(status: 0, stdout: "contained\n")),
        (["contains", "--flavor", "mariadb", "", "0-1-1"],
         CLIResult(status: 1, stdout: "not contained; missing: domain 0: 1\n")),
    ])
    func contains(arguments: [String], expected: CLIResult) {
        #expect(GTIDCommand.run(arguments) == expected)
    }

    @Test("subtract and normalize print canonical text", arguments: [
        (["subtract", "\(a):1-10", "\(a):4-6"], "\(a):1-3:7-10\n"),
        (["subtract", "--flavor=mariadb", "0-1-100", "0-1-90"], "domain 0: 91-100\n"),
        (["normalize", "\(a.uppercased()):1-3:4, \n\(a):9"], "\(a):1-4:9\n"),
        (["normalize", "--flavor", "mariadb", "1-2-7,0-1-100"], "0-1-100,1-2-7\n"),
    ])
    func printing(arguments: [String], stdout: String) {
        #expect(GTIDCommand.run(arguments) == CLIResult(status: 0, stdout: stdout))
    }

    @Test("Bad input exits 64 with a specific error", arguments: [
        ([], "Error: a gtid subcommand is required."),
        (["frobnicate"], "Error: unknown gtid subcommand \"frobnicate\"."),
        (["contains", "\(a):1"], "Error: 'gtid contains' takes two GTID sets, not 1."),
        (["normalize", "\(a):1", "\(a):2"], "Error: 'gtid normalize' takes one GTID set, not 2."),
        (["normalize", "--flavor"], "Error: --flavor needs a value: mysql or mariadb."),
        (["normalize", "--flavor", "oracle", "x"], "Error: unknown flavor \"oracle\"; use mysql or mariadb."),
        (["normalize", "--verbose", "x"], "Error: unknown option \"--verbose\"."),
        (["normalize", "\(a):0"],
         "Error: the first operand is not a MySQL GTID set: Malformed GTID text at offset 37: expected a transaction number of at least 1, found \"0\"."),
        (["contains", "\(a):1", "\(a):2-1"],
         "Error: the second operand is not a MySQL GTID set: Malformed GTID text at offset 39: expected an interval end not below its start 2, found \"1\"."),
        (["contains", "--flavor", "mariadb", "0-1-1", "\(a):1"],
         "Error: the second operand is not a MariaDB GTID position: Malformed GTID text at offset 1: expected '-' after the domain id, found \"ccc475b-2343…\"."),
    ])
    func badInput(arguments: [String], firstLine: String) {
        let result = GTIDCommand.run(arguments)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == firstLine)
    }

    @Test("--help prints the usage and exits 0")
    func help() {
        let result = GTIDCommand.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Usage: dmswitchctl gtid contains"))
    }
}

@Suite("dmswitchctl check-config")
struct CheckConfigCommandTests {
    /// The repository's reference configuration, which must always pass.
    static let example = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("etc/dmswitch.toml").path

    @Test("The reference configuration passes with a one-line summary")
    func example() {
        let result = CheckConfigCommand.run([Self.example])
        #expect(result.status == 0)
        #expect(result.stdout.contains(": OK: "))
    }

    @Test("A broken file exits 1 and names file, line and key")
    func broken() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("check-config-\(getpid()).toml").path
        try "[detection]\nintervall = \"1s\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = CheckConfigCommand.run([path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(path):2:1: unknown key \"intervall\" in [detection]; did you mean \"interval\"?"))
    }

    @Test("Usage errors exit 64", arguments: [
        ([], "Error: check-config needs the configuration file."),
        (["a.toml", "b.toml"], "Error: check-config takes one file, not 2."),
        (["--quiet", "a.toml"], "Error: unknown option \"--quiet\"."),
    ])
    func usage(arguments: [String], firstLine: String) {
        let result = CheckConfigCommand.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == firstLine)
    }
}
