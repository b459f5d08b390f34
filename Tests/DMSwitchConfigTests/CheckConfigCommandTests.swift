import Testing

/// Runs the built `dmswitchd --check-config` (exit code and output), as an operator would.
@Suite("dmswitchd --check-config")
struct CheckConfigCommandTests {
    @Test("A good file prints the summary and exits 0")
    func goodFile() throws {
        let dmswitchd = try ProductLocator.path(of: "dmswitchd")
        let outcome = try ProcessRunner.run(dmswitchd, ["--check-config", ExampleConfigurationTests.examplePath])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.hasPrefix(
            "\(ExampleConfigurationTests.examplePath): OK: 2 groups (6 instances), DM v8.5.2 via dmctl, detection 1s×3"))
        #expect(!outcome.standardError.contains("Error:"))
    }

    @Test("A bad file prints every problem and exits 1")
    func badFile() throws {
        let dmswitchd = try ProductLocator.path(of: "dmswitchd")
        let directory = try TemporaryDirectory()
        let path = try directory.write("bad.toml", """
            [dm]
            master-addr = ["10.0.0.1:8261"]

            [detection]
            intervall = "2s"

            [mysql]
            user = "dmswitch"
            password = "hunter2"
            password-file = ""
            """)
        let outcome = try ProcessRunner.run(dmswitchd, ["--check-config", path])
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput == "")
        #expect(outcome.standardError.split(separator: "\n").filter { !$0.contains("warning:") } == [
            #"\#(path):5:1: unknown key "intervall" in [detection]; did you mean "interval"?"#,
            #"\#(path):9:1: key "password" in [mysql] is not allowed: the password is never written in the main file; use password-file"#,
            "\(path): at least one [[group]] is required",
            "Error: \(path) is not a valid dmswitch configuration (3 errors, 1 warning).",
        ])
    }

    @Test("A missing file is a problem (exit 1); a usage error exits 64 with the usage")
    func usage() throws {
        let dmswitchd = try ProductLocator.path(of: "dmswitchd")
        let missing = try ProcessRunner.run(dmswitchd, ["--check-config", "/nonexistent/dmswitch.toml"])
        #expect(missing.status == 1)
        #expect(missing.standardError.hasPrefix("/nonexistent/dmswitch.toml: cannot read the file: No such file or directory\n"))

        let unknown = try ProcessRunner.run(dmswitchd, ["--frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.standardOutput == "")
        #expect(unknown.standardError == """
            Error: unknown option '--frobnicate'.
            Usage: dmswitchd --config FILE [--foreground]
                   dmswitchd --check-config FILE [--strict]
                   dmswitchd --help
            See 'dmswitchd --help'.

            """)

        let noFile = try ProcessRunner.run(dmswitchd, ["--check-config"])
        #expect(noFile.status == 64)
        #expect(noFile.standardError.hasPrefix("Error: option '--check-config' needs a FILE.\n"))

        let help = try ProcessRunner.run(dmswitchd, ["--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("Usage: dmswitchd --config FILE [--foreground]"))
        #expect(help.standardOutput.contains("dmswitchd --check-config FILE [--strict]"))

        let both = try ProcessRunner.run(dmswitchd, ["--config", "a.toml", "--check-config", "b.toml"])
        #expect(both.status == 64)
        #expect(both.standardError.hasPrefix("Error: options '--config' and '--check-config' exclude each other.\n"))

        let foregroundAlone = try ProcessRunner.run(dmswitchd, ["--foreground"])
        #expect(foregroundAlone.status == 64)
        #expect(foregroundAlone.standardError.hasPrefix("Error: option '--foreground' only goes with '--config FILE'.\n"))
    }
}
