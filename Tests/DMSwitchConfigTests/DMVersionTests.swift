import DMSwitchConfig
import Testing

@Suite("DM versions")
struct DMVersionTests {
    static let valid: [(String, DMVersion.Generation, DMVersion.Release?, Bool?)] = [
        ("v1", .v1, nil, nil),
        ("v2", .v2plus, nil, nil),
        ("v1.0.7", .v1, .init(major: 1, minor: 0, patch: 7), nil),
        ("v2.0.7", .v2plus, .init(major: 2, minor: 0, patch: 7), false),
        ("v5.3.0", .v2plus, .init(major: 5, minor: 3, patch: 0), false),
        ("v5", .v2plus, .init(major: 5, minor: nil, patch: nil), nil),
        ("v6.5.0", .v2plus, .init(major: 6, minor: 5, patch: 0), true),
        ("v6", .v2plus, .init(major: 6, minor: nil, patch: nil), true),
        ("v8.5.2", .v2plus, .init(major: 8, minor: 5, patch: 2), true),
        ("7.1", .v2plus, .init(major: 7, minor: 1, patch: nil), true),
        ("v9.0.0-beta.1", .v2plus, .init(major: 9, minor: 0, patch: 0), true),
    ]

    @Test("Versions map to a generation, keep the release, and know stop-task's op", arguments: valid)
    func parses(_ text: String, _ generation: DMVersion.Generation, _ release: DMVersion.Release?, _ delete: Bool?) throws {
        let version = try DMVersion(text)
        #expect(version.generation == generation)
        #expect(version.release == release)
        #expect(version.raw == text)
        #expect(version.stopTaskSendsDelete == delete)
    }

    static let unreleased = #"is not a DM release: DM was released as v1.0.x, v2.0.x and v5.3 or later"#
    static let usage = #"is not a DM version; write "v1", "v2" or a release such as "v6.5.0""#

    static let invalid: [(String, String)] = [
        ("v4.0.0", #""v4.0.0" "# + unreleased),
        ("v3", #""v3" "# + unreleased),
        ("v5.2.0", #""v5.2.0" "# + unreleased),
        ("v1.1", #""v1.1" "# + unreleased),
        ("v2.1.0", #""v2.1.0" "# + unreleased),
        ("v0.9", #""v0.9" "# + unreleased),
        ("", #""" "# + usage),
        ("latest", #""latest" "# + usage),
        ("v6.5.0.1", #""v6.5.0.1" "# + usage),
        ("v6.5-beta", #""v6.5-beta" "# + usage),
        ("v6..0", #""v6..0" "# + usage),
        ("V6.5.0", #""V6.5.0" "# + usage),
    ]

    @Test("Versions DM never had, and text that is no version, are refused", arguments: invalid)
    func rejects(_ text: String, _ reason: String) {
        #expect(throws: ValueParseError(text: text, reason: reason)) {
            try DMVersion(text)
        }
    }
}
