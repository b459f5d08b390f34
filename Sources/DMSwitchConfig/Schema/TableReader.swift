/// Reads the keys of one table for the schema: typed access that reports wrong types, missing
/// keys and bad values to the shared `SchemaContext`, and, at the end, every key it was never
/// asked about as unknown (with a did-you-mean).
///
/// Getters with a default return the default when the key is absent *or* invalid: the problem
/// is already recorded, and a file with problems never yields a configuration, so the default
/// only lets reading go on to find the next problem.
struct TableReader {
    /// `nil` when the table is absent from the file: every key reads as absent.
    let table: TOMLTable?
    /// How the table is named in messages: `[detection]`, `[[group]] "orders"`.
    var name: String
    /// The dotted prefix of `ConfigProblem.key` for this table (`detection`, `group[2]`).
    let keyPath: String
    let context: SchemaContext
    /// Keys the schema asked about, in schema order: the candidates for did-you-mean.
    private(set) var knownKeys: [String] = []
    /// Keys refused with their own message (`password`); never suggested.
    private var rejectedKeys: [String] = []

    init(table: TOMLTable?, name: String, keyPath: String, context: SchemaContext) {
        self.table = table
        self.name = name
        self.keyPath = keyPath
        self.context = context
    }

    /// Where messages about the table as a whole point: its header.
    var location: SourceLocation? { table?.headerLocation }

    /// The entry for `key`, which becomes a known key of this table.
    mutating func entry(_ key: String) -> TOMLEntry? {
        if !knownKeys.contains(key) {
            knownKeys.append(key)
        }
        return table?.entry(key)
    }

    /// Whether the file sets `key` (it becomes a known key).
    mutating func contains(_ key: String) -> Bool {
        entry(key) != nil
    }

    func fullKey(_ key: String) -> String {
        keyPath.isEmpty ? key : "\(keyPath).\(key)"
    }

    /// `key "interval" in [detection]`.
    func describe(_ key: String) -> String {
        "key \(TOMLKey.quoted(key)) in \(name)"
    }

    func error(_ message: String, at location: SourceLocation?, key: String) {
        context.error(message, at: location, key: fullKey(key))
    }

    /// Records that a required key is absent; `because` says why it is required when that
    /// depends on other keys.
    func missing(_ key: String, because reason: String? = nil) {
        let suffix = reason.map { ": \($0)" } ?? ""
        error("missing required key \(TOMLKey.quoted(key)) in \(name)\(suffix)", at: location, key: key)
    }

    /// A key that must not be there at all, with the reason (the `password` key).
    mutating func reject(_ key: String, because reason: String) {
        rejectedKeys.append(key)
        if let found = table?.entry(key) {
            error("\(describe(key)) is not allowed: \(reason)", at: found.keyLocation, key: key)
        }
    }

    /// Records that a key is set although the rest of the configuration makes it meaningless.
    mutating func inapplicable(_ key: String, appliesOnlyTo condition: String) {
        if let found = table?.entry(key) {
            error("\(describe(key)) applies only to \(condition)", at: found.keyLocation, key: key)
        }
    }

    // MARK: Unknown keys

    /// Reports every entry the schema did not ask about, suggesting the nearest known key.
    func reportUnknownKeys() {
        context.recordKnownKeys(knownKeys, table: keyPath)
        guard let table else { return }
        for entry in table.entries where !knownKeys.contains(entry.key) && !rejectedKeys.contains(entry.key) {
            let suggestion = Suggestion.closest(to: entry.key, among: knownKeys)
            switch entry.node.value {
            case .table(let subtable):
                let hint = suggestion.map { "; did you mean [\(sibling($0))]?" } ?? ""
                error("unknown table [\(subtable.name)] in \(name)\(hint)", at: entry.node.location, key: entry.key)
            case .tableArray(let elements):
                let hint = suggestion.map { "; did you mean [[\(sibling($0))]]?" } ?? ""
                let tableName = elements.first?.name ?? entry.key
                error("unknown table [[\(tableName)]] in \(name)\(hint)", at: entry.node.location, key: entry.key)
            default:
                let hint = suggestion.map { "; did you mean \(TOMLKey.quoted($0))?" } ?? ""
                error("unknown key \(TOMLKey.quoted(entry.key)) in \(name)\(hint)", at: entry.keyLocation, key: entry.key)
            }
        }
    }

    /// The header name of a sub-table `key` of this table.
    private func sibling(_ key: String) -> String {
        guard let table, !table.name.isEmpty else { return TOMLKey.display(key) }
        return "\(table.name).\(TOMLKey.display(key))"
    }

    // MARK: Plain values

    /// A string value; a wrong type is reported as needing `expected`.
    mutating func string(_ key: String, required: Bool = false, expected: String = "a string") -> Located<String>? {
        guard let found = entry(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .string(let text) = found.node.value else {
            typeMismatch(key, found.node, expected: expected)
            return nil
        }
        return Located(value: text, location: found.node.location)
    }

    /// An integer within `range`.
    mutating func integer(_ key: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
        guard let found = entry(key) else { return fallback }
        guard case .integer(let number) = found.node.value else {
            typeMismatch(key, found.node, expected: "an integer")
            return fallback
        }
        guard let value = Int(exactly: number), range.contains(value) else {
            error(
                "\(describe(key)) must be between \(range.lowerBound) and \(range.upperBound), found \(number)",
                at: found.node.location, key: key)
            return fallback
        }
        return value
    }

    mutating func boolean(_ key: String, default fallback: Bool) -> Bool {
        guard let found = entry(key) else { return fallback }
        guard case .boolean(let flag) = found.node.value else {
            typeMismatch(key, found.node, expected: "true or false")
            return fallback
        }
        return flag
    }

    /// An array of strings; each element's type is checked, and so is emptiness unless allowed.
    mutating func stringArray(
        _ key: String, required: Bool = false, expected: String, allowEmpty: Bool = false
    ) -> Located<[Located<String>]>? {
        guard let found = entry(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .array(let nodes) = found.node.value else {
            typeMismatch(key, found.node, expected: expected)
            return nil
        }
        if nodes.isEmpty, !allowEmpty {
            error("\(describe(key)) must not be empty", at: found.node.location, key: key)
            return nil
        }
        var strings: [Located<String>] = []
        var allStrings = true
        for (offset, node) in nodes.enumerated() {
            guard case .string(let text) = node.value else {
                error(
                    "element \(offset + 1) of \(describe(key)) must be a string, found \(node.value.summary)",
                    at: node.location, key: key)
                allStrings = false
                continue
            }
            strings.append(Located(value: text, location: node.location))
        }
        return allStrings ? Located(value: strings, location: found.node.location) : nil
    }

    /// Reports elements that repeat an earlier one; returns whether all were distinct.
    func reportRepeats<T: Hashable>(_ key: String, _ elements: [Located<T>], display: (T) -> String) -> Bool {
        var seen = Set<T>()
        var distinct = true
        for (offset, element) in elements.enumerated() where !seen.insert(element.value).inserted {
            error(
                "element \(offset + 1) of \(describe(key)) repeats \(TOMLKey.quoted(display(element.value)))",
                at: element.location, key: key)
            distinct = false
        }
        return distinct
    }

    private func typeMismatch(_ key: String, _ node: TOMLNode, expected: String) {
        error("\(describe(key)) must be \(expected), found \(node.value.summary)", at: node.location, key: key)
    }
}
