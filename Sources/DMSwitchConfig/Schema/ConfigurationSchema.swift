/// The dmswitch.toml schema: which tables exist, what each holds, and how they fit together.
///
/// Reads the parsed document into a `DMSwitchConfiguration`, recording every problem in the
/// context; returns `nil` when anything is wrong.
enum ConfigurationSchema {
    /// The single tables, in the order the reference file documents them.
    static let sectionNames = ["daemon", "dm", "detection", "failover", "mysql", "coordination"]
    static let groupKey = "group"

    static func read(_ root: TOMLTable, context: SchemaContext) -> DMSwitchConfiguration? {
        var knownKeysBySection: [(section: String, keys: [String])] = []
        /// Reads a section with `read`, then reports its unknown keys; `nil` when the section is
        /// malformed (written as a value or as `[[name]]`) or `read` finds it invalid.
        func section<Section>(_ name: String, _ read: (inout TableReader) -> Section?) -> Section? {
            var reader: TableReader
            switch sectionTable(name, in: root, context: context) {
            case .absent:
                reader = TableReader(table: nil, name: "[\(name)]", keyPath: name, context: context)
            case .present(let table):
                reader = TableReader(table: table, name: "[\(name)]", keyPath: name, context: context)
            case .malformed:
                return nil
            }
            let value = read(&reader)
            reader.reportUnknownKeys()
            knownKeysBySection.append((name, reader.knownKeys))
            return value
        }

        let daemon = section("daemon") { DMSwitchConfiguration.Daemon.read(&$0) }
        var generation: DMVersion.Generation?
        let dm = section("dm") { reader in
            let versionIsValid = versionIsValid(reader)
            let dm = DMSwitchConfiguration.DM.read(&reader, stateDirectory: daemon?.stateDirectory ?? "/var/lib/dmswitch")
            generation = versionIsValid ? dm?.version.generation : nil
            return dm
        }
        let detection = section("detection") { DMSwitchConfiguration.Detection.read(&$0) }
        let failover = section("failover") { DMSwitchConfiguration.Failover.read(&$0) }
        let mysql = section("mysql") { DMSwitchConfiguration.MySQL.read(&$0) }
        let coordination = section("coordination") { DMSwitchConfiguration.Coordination.read(&$0) }
        let groups = readGroups(root, generation: generation, context: context)
        reportUnknownTopLevel(root, knownKeysBySection: knownKeysBySection, context: context)

        guard let daemon, let dm, let detection, let failover, let mysql, let coordination, let groups else {
            return nil
        }
        return DMSwitchConfiguration(
            daemon: daemon, dm: dm, detection: detection, failover: failover, mysql: mysql,
            coordination: coordination, groups: groups)
    }

    /// Whether `[dm] version` is absent (the default is valid) or parses; the version-dependent
    /// group checks only make sense then.
    private static func versionIsValid(_ reader: TableReader) -> Bool {
        guard let entry = reader.table?.entry("version") else { return true }
        guard case .string(let text) = entry.node.value else { return false }
        return (try? DMVersion(text)) != nil
    }

    /// The section's table: absent is fine (all defaults, or missing-key problems), but a
    /// section written as a value or as `[[name]]` is reported, and then not read.
    private static func sectionTable(_ name: String, in root: TOMLTable, context: SchemaContext) -> SectionLookup {
        guard let entry = root.entry(name) else { return .absent }
        switch entry.node.value {
        case .table(let table):
            return .present(table)
        case .tableArray:
            context.error("[[\(name)]] must be a single table: write [\(name)]", at: entry.node.location, key: name)
        default:
            context.error(
                "key \(TOMLKey.quoted(name)) at the top level must be the table [\(name)], found \(entry.node.value.summary)",
                at: entry.keyLocation, key: name)
        }
        return .malformed
    }

    private enum SectionLookup {
        case absent
        case present(TOMLTable)
        case malformed
    }

    /// The `[[group]]` tables, read and checked against each other; `nil` if any is invalid.
    private static func readGroups(
        _ root: TOMLTable, generation: DMVersion.Generation?, context: SchemaContext
    ) -> [DMSwitchConfiguration.Group]? {
        guard let entry = root.entry(groupKey) else {
            context.error("at least one [[group]] is required", at: nil, key: groupKey)
            return nil
        }
        guard case .tableArray(let tables) = entry.node.value else {
            let found: String
            if case .table = entry.node.value {
                found = "[group] must be an array of tables: write [[group]] before each group"
            } else {
                found = "key \"group\" at the top level must be an array of tables written [[group]], "
                    + "found \(entry.node.value.summary)"
            }
            context.error(found, at: entry.node.location, key: groupKey)
            return nil
        }
        let readings = tables.enumerated().map { offset, table in
            DMSwitchConfiguration.Group.read(table, number: offset + 1, generation: generation, context: context)
        }
        CrossGroupChecks.run(readings, context: context)
        let groups = readings.compactMap(\.group)
        return groups.count == readings.count ? groups : nil
    }

    /// Top-level entries the schema does not know: a misspelt table, or a key written before
    /// any table header (then the section whose key it is is suggested).
    private static func reportUnknownTopLevel(
        _ root: TOMLTable, knownKeysBySection: [(section: String, keys: [String])], context: SchemaContext
    ) {
        let tableNames = sectionNames + [groupKey]
        for entry in root.entries where !tableNames.contains(entry.key) {
            let suggestion = Suggestion.closest(to: entry.key, among: tableNames)
            switch entry.node.value {
            case .table(let table):
                let hint = suggestion.map { $0 == groupKey ? "; did you mean [[group]]?" : "; did you mean [\($0)]?" } ?? ""
                context.error("unknown table [\(table.name)]\(hint)", at: entry.node.location, key: entry.key)
            case .tableArray(let tables):
                let hint = suggestion.map { $0 == groupKey ? "; did you mean [[group]]?" : "; did you mean [\($0)]?" } ?? ""
                let name = tables.first?.name ?? entry.key
                context.error("unknown table [[\(name)]]\(hint)", at: entry.node.location, key: entry.key)
            default:
                let quoted = TOMLKey.quoted(entry.key)
                if let home = knownKeysBySection.first(where: { $0.keys.contains(entry.key) }) {
                    context.error(
                        "key \(quoted) must be written under its table; did you mean to put it under [\(home.section)]?",
                        at: entry.keyLocation, key: entry.key)
                } else {
                    context.error(
                        "unknown key \(quoted) at the top level; settings belong under a table such as [daemon]",
                        at: entry.keyLocation, key: entry.key)
                }
            }
        }
    }
}
