/// A table under construction. TOML's rules (a table is defined once, a key is set once,
/// `[a.b]` may reach into the last element of `[[a]]`) need tables that can be found again and
/// extended from later headers, so the parser builds with references and freezes the result
/// into value types at the end.
final class TOMLTableBuilder {
    enum Slot {
        case value(TOMLNode, keyLocation: SourceLocation)
        case table(TOMLTableBuilder, keyLocation: SourceLocation)
        case tableArray(TOMLTableArrayBuilder, keyLocation: SourceLocation)
    }

    let path: [String]
    let isArrayElement: Bool
    /// Where the header that created (or defined) the table starts.
    var headerLocation: SourceLocation?
    /// Set once a `[header]` names this table itself; a second such header is a duplicate.
    var isDefined: Bool
    private(set) var keys: [String] = []
    private var slots: [String: Slot] = [:]

    init(path: [String], headerLocation: SourceLocation?, isDefined: Bool, isArrayElement: Bool) {
        self.path = path
        self.headerLocation = headerLocation
        self.isDefined = isDefined
        self.isArrayElement = isArrayElement
    }

    func slot(_ key: String) -> Slot? { slots[key] }

    func insert(_ key: String, _ slot: Slot) {
        if slots[key] == nil {
            keys.append(key)
        }
        slots[key] = slot
    }

    /// Where a key of this table is, in a message: `in [detection]`, `in [[group]]`, or
    /// `at the top level`.
    var place: String {
        if path.isEmpty { return "at the top level" }
        let name = TOMLKey.displayPath(path)
        return isArrayElement ? "in [[\(name)]]" : "in [\(name)]"
    }

    /// The immutable table.
    func freeze() -> TOMLTable {
        var entries: [TOMLEntry] = []
        for key in keys {
            guard let slot = slots[key] else { continue }
            switch slot {
            case .value(let node, let keyLocation):
                entries.append(TOMLEntry(key: key, keyLocation: keyLocation, node: node))
            case .table(let builder, let keyLocation):
                let node = TOMLNode(value: .table(builder.freeze()), location: builder.headerLocation ?? keyLocation)
                entries.append(TOMLEntry(key: key, keyLocation: keyLocation, node: node))
            case .tableArray(let array, let keyLocation):
                let node = TOMLNode(
                    value: .tableArray(array.elements.map { $0.freeze() }),
                    location: array.elements.first?.headerLocation ?? keyLocation)
                entries.append(TOMLEntry(key: key, keyLocation: keyLocation, node: node))
            }
        }
        return TOMLTable(name: TOMLKey.displayPath(path), headerLocation: headerLocation, entries: entries)
    }
}

/// The elements of a `[[header]]` array, in file order.
final class TOMLTableArrayBuilder {
    private(set) var elements: [TOMLTableBuilder] = []

    func append(_ element: TOMLTableBuilder) {
        elements.append(element)
    }
}
