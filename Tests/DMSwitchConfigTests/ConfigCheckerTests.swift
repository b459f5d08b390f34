import Testing

@testable import DMSwitchConfig

@Suite("check-config report")
struct ConfigCheckerTests {
    @Test("A valid file: one summary line on stdout, nothing on stderr, exit 0")
    func passes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("dmswitch.toml", ConfigFixture.text("[dm]\nmaster-addr = [\"a:1\"]\nversion = \"v6.5.0\"\n[detection]\ninterval = \"500ms\"\nfailures = 4", replacing: [.dm]))
        let report = ConfigChecker.check(path: path, strict: false)
        #expect(report.exitCode == 0)
        // dmctl and the VIP hook are not installed here: warnings, counted in the summary.
        #expect(report.standardOutput == "\(path): OK: 1 group (2 instances), DM v6.5.0 via dmctl, detection 500ms×4; 2 warnings\n")
        #expect(report.standardError == """
            \(path):1:1: warning: "/usr/local/bin/dmctl" (dm.dmctl-path) does not exist
            \(path):16:21: warning: "/usr/local/sbin/move-vip" (group[1].vip-move-command) does not exist

            """)
    }

    @Test("With --strict the same missing files fail the check")
    func strict() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("dmswitch.toml", ConfigFixture.text(""))
        let report = ConfigChecker.check(path: path, strict: true)
        #expect(report.exitCode == 1)
        #expect(report.standardOutput == "")
        #expect(report.standardError == """
            \(path):3:1: "/usr/local/bin/dmctl" (dm.dmctl-path) does not exist
            \(path):14:21: "/usr/local/sbin/move-vip" (group[1].vip-move-command) does not exist
            Error: \(path) is not a valid dmswitch configuration (2 errors).

            """)
    }

    @Test("An invalid file: every problem on stderr, then an Error line, exit 1")
    func fails() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("dmswitch.toml", ConfigFixture.text("[detection]\nintervall = \"2s\"\nfailures = 0"))
        let report = ConfigChecker.check(path: path, strict: false)
        #expect(report.exitCode == 1)
        #expect(report.standardOutput == "")
        #expect(report.standardError == """
            \(path):2:1: unknown key "intervall" in [detection]; did you mean "interval"?
            \(path):3:12: key "failures" in [detection] must be between 1 and 100, found 0
            \(path):5:1: warning: "/usr/local/bin/dmctl" (dm.dmctl-path) does not exist
            \(path):16:21: warning: "/usr/local/sbin/move-vip" (group[1].vip-move-command) does not exist
            Error: \(path) is not a valid dmswitch configuration (2 errors, 2 warnings).

            """)
    }
}
