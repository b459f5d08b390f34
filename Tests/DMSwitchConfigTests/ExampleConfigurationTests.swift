import Testing

@testable import DMSwitchConfig

@Suite("The reference file etc/dmswitch.toml")
struct ExampleConfigurationTests {
    /// The repository's etc/dmswitch.toml, found from this file's place in Tests/.
    static let examplePath: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)  // DMSwitchConfigTests/ExampleConfigurationTests.swift, Tests
        return components.joined(separator: "/") + "/etc/dmswitch.toml"
    }()

    @Test("The reference file loads without an error, and says what the summary says")
    func loads() throws {
        let validation = ConfigLoader.validate(path: Self.examplePath, referencedFiles: .warn)
        #expect(validation.errors.map(\.description) == [])
        let configuration = try #require(validation.configuration)
        #expect(configuration.groups.map(\.scenario) == [.vip, .address])
        #expect(ConfigChecker.summary(of: configuration, file: "dmswitch.toml")
            == "dmswitch.toml: OK: 2 groups (6 instances), DM v8.5.2 via dmctl, detection 1s×3")
    }

    @Test("The reference file documents every key of the schema")
    func documentsEveryKey() throws {
        let validation = ConfigLoader.validate(path: Self.examplePath, referencedFiles: .ignore)
        guard case .text(let text) = ConfigFileReader.read(path: Self.examplePath) else {
            Issue.record("cannot read \(Self.examplePath)")
            return
        }
        #expect(validation.errors.isEmpty)
        // Every word of every line, comment markers removed: a key is documented when it
        // appears as a word (`#interval = "1s"`, `#   source-id   the DM source id`).
        let words = Set(text.split(separator: "\n").flatMap { line in
            line.replacingOccurrences(of: "#", with: " ").split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        })
        let context = SchemaContext(file: "t.toml", hostName: "h")
        let parsed = TOMLParser.parse(text)
        _ = ConfigurationSchema.read(parsed.root, context: context)
        #expect(context.knownKeys.keys.sorted() == [
            "coordination", "daemon", "detection", "dm", "failover", "group", "group.instance", "mysql",
        ])
        for (table, keys) in context.knownKeys {
            for key in keys where !words.contains(key) {
                Issue.record("key \(key) of [\(table)] is not documented in etc/dmswitch.toml")
            }
        }
    }
}
