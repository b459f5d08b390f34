/// A parsed value of the TOML subset dmswitch reads, with where it was written.
///
/// Inline tables are outside the subset, so arrays only ever hold plain values and tables
/// only come from `[header]` and `[[header]]` lines; that keeps `array` and `tableArray` apart.
enum TOMLValue: Sendable {
    case string(String)
    case integer(Int64)
    case boolean(Bool)
    case array([TOMLNode])
    case table(TOMLTable)
    case tableArray([TOMLTable])

    /// How the value reads in an error message: `integer 5`, `string "x"`, `an array`.
    var summary: String {
        switch self {
        case .string(let text): "string \(TOMLKey.quoted(text))"
        case .integer(let number): "integer \(number)"
        case .boolean(let flag): "boolean \(flag)"
        case .array: "an array"
        case .table(let table): "a table [\(table.name)]"
        case .tableArray(let tables): "an array of tables [[\(tables.first?.name ?? "")]]"
        }
    }
}

/// A value and the location of its first character.
struct TOMLNode: Sendable {
    var value: TOMLValue
    var location: SourceLocation
}

/// One `key = value` (or sub-table) of a table, in file order.
struct TOMLEntry: Sendable {
    var key: String
    /// Where the key was written; for a sub-table, where its header starts.
    var keyLocation: SourceLocation
    var node: TOMLNode
}

/// A table: the root, a `[header]` table, or one element of a `[[header]]` array.
struct TOMLTable: Sendable {
    /// The dotted header name as it reads in messages (`detection`, `group.instance`);
    /// empty for the root.
    var name: String
    /// Where the header starts; `nil` for the root.
    var headerLocation: SourceLocation?
    var entries: [TOMLEntry]

    /// The entry for `key`, if the table has one (keys are unique, the parser sees to that).
    func entry(_ key: String) -> TOMLEntry? {
        entries.first { $0.key == key }
    }
}

/// Key spelling rules shared by the parser and the messages.
enum TOMLKey {
    /// Characters of a bare key (TOML 1.0: `A-Za-z0-9_-`).
    static func isBareKeyCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }

    /// The key as it would be written: bare when it can be, otherwise quoted.
    static func display(_ key: String) -> String {
        if !key.isEmpty, key.unicodeScalars.allSatisfy(isBareKeyCharacter) {
            return key
        }
        return quoted(key)
    }

    /// `"text"` with quotes, backslashes and control characters escaped, for messages.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u" + hex4(scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A dotted header path as it would be written (`group.instance`).
    static func displayPath(_ keys: [String]) -> String {
        keys.map(display).joined(separator: ".")
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
