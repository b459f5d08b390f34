import Testing

@testable import DMSwitchConfig

@Suite("Files the configuration names, checked on disk")
struct ReferencedFileTests {
    /// A configuration whose password file, dmctl, VIP hook and task files live in `directory`.
    private func configuration(in directory: TemporaryDirectory) -> String {
        """
        [dm]
        master-addr = ["10.0.0.1:8261"]
        dmctl-path = "\(directory.path)/dmctl"

        [mysql]
        user = "dmswitch"
        password-file = "\(directory.path)/mysql.password"

        [[group]]
        source-id = "orders"
        scenario = "vip"
        vip = "10.0.0.100:3306"
        vip-move-command = ["\(directory.path)/move-vip", "--now"]

        [[group.instance]]
        address = "10.0.0.1:3306"

        [[group.instance]]
        address = "10.0.0.2:3306"
        """
    }

    @Test("Missing files: nothing with .ignore, warnings with .warn, errors with .require")
    func missingFiles() throws {
        let directory = try TemporaryDirectory()
        let text = configuration(in: directory)
        #expect(ConfigFixture.validate(text, referencedFiles: .ignore).problems.isEmpty)

        let warned = ConfigFixture.validate(text, referencedFiles: .warn)
        #expect(warned.configuration != nil)
        #expect(warned.problems.map(\.description) == [
            #"t.toml:3:14: warning: "\#(directory.path)/dmctl" (dm.dmctl-path) does not exist"#,
            #"t.toml:7:17: warning: "\#(directory.path)/mysql.password" (mysql.password-file) does not exist"#,
            #"t.toml:13:21: warning: "\#(directory.path)/move-vip" (group[1].vip-move-command) does not exist"#,
        ])

        let required = ConfigFixture.validate(text, referencedFiles: .require)
        #expect(required.configuration == nil)
        #expect(required.errors.count == 3)
        #expect(required.warnings.isEmpty)
    }

    @Test("Usable files raise nothing, in either mode")
    func usableFiles() throws {
        let directory = try TemporaryDirectory()
        try directory.write("dmctl", "#!/bin/sh\n", permissions: 0o755)
        try directory.write("move-vip", "#!/bin/sh\n", permissions: 0o750)
        try directory.write("mysql.password", "secret\n", permissions: 0o600)
        let text = configuration(in: directory)
        #expect(ConfigFixture.validate(text, referencedFiles: .warn).problems.isEmpty)
        #expect(ConfigFixture.validate(text, referencedFiles: .require).problems.isEmpty)
    }

    @Test("Files that exist but cannot work are errors even when only warning")
    func brokenFiles() throws {
        let directory = try TemporaryDirectory()
        try directory.directory("dmctl")
        try directory.write("move-vip", "#!/bin/sh\n", permissions: 0o644)
        try directory.write("mysql.password", "secret\n", permissions: 0o644)
        let validation = ConfigFixture.validate(configuration(in: directory), referencedFiles: .warn)
        #expect(validation.configuration == nil)
        #expect(validation.problems.map(\.description) == [
            #"t.toml:3:14: "\#(directory.path)/dmctl" (dm.dmctl-path) is a directory, not a file"#,
            #"t.toml:7:17: warning: "\#(directory.path)/mysql.password" (mysql.password-file) is readable by every user; make it readable by the daemon only (chmod 0600 or 0640)"#,
            #"t.toml:13:21: "\#(directory.path)/move-vip" (group[1].vip-move-command) is not executable (no execute permission)"#,
        ])
    }

    @Test("The default dmctl path is checked too, pointing at [dm]")
    func defaultDmctl() {
        let problems = ConfigFixture.validate(ConfigFixture.text(""), referencedFiles: .require).problems
        let dmctl = problems.filter { $0.key == "dm.dmctl-path" }
        // The test machine has no DM installed; if it ever has, there is nothing to report.
        #expect(dmctl.allSatisfy { $0.location == SourceLocation(line: 3, column: 1) && $0.severity == .error })
        #expect(ReferencedFileChecker.findings(for: ReferencedFile(
            path: "/nonexistent/dmctl", kind: .executable, location: nil, key: "dm.dmctl-path"
        )).map(\.message) == [#""/nonexistent/dmctl" (dm.dmctl-path) does not exist"#])
    }
}
