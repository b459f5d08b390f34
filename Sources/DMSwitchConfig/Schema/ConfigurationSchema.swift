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
        func section(_ name: String) -> TableReader? {
            switch sectionTable(name, in: root, context: context) {
            case .absent:
                return TableReader(table: nil, name: "[\(name)]", keyPath: name, context: context)
            case .present(let table):
                return TableReader(table: table, name: "[\(name)]", keyPath: name, context: context)
            case .malformed:
                return nil
            }
        }
        func finish(_ reader: TableReader) {
            reader.reportUnknownKeys()
            knownKeysBySection.append((reader.keyPath, reader.knownKeys))
        }

        var daemon: DMSwitchConfiguration.Daemon?
        if var reader = section("daemon") {
            daemon = .read(&reader)
            finish(reader)
        }
        var dm: DMSwitchConfiguration.DM?
        var generation: DMVersion.Generation?
        if var reader = section("dm") {
            let versionIsValid = versionIsValid(reader)
            dm = .read(&reader, stateDirectory: daemon?.stateDirectory ?? "/var/lib/dmswitch")
            generation = versionIsValid ? dm?.version.generation : nil
            finish(reader)
        }
        var detection: DMSwitchConfiguration.Detection?
        if var reader = section("detection") {
            detection = .read(&reader)
            finish(reader)
        }
        var failover: DMSwitchConfiguration.Failover?
        if var reader = section("failover") {
            failover = .read(&reader)
            finish(reader)
        }
        var mysql: DMSwitchConfiguration.MySQL?
        if var reader = section("mysql") {
            mysql = .read(&reader)
            finish(reader)
        }
        var coordination: DMSwitchConfiguration.Coordination?
        if var reader = section("coordination") {
            coordination = .read(&reader)
            finish(reader)
        }
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
