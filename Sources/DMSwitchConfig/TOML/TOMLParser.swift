/// A strict parser for the TOML subset dmswitch.toml uses.
///
/// Supported: `[table]` and dotted `[a.b]` headers, `[[array.of.tables]]`, bare and quoted keys,
/// basic and literal single-line strings, decimal integers, booleans, and arrays (multi-line,
/// with comments and a trailing comma). Everything else TOML has — floats, dates, inline tables,
/// multi-line strings, dotted keys on the left of `=` — is rejected with a message saying it is
/// not supported, rather than half-understood.
///
/// Statements are line-oriented, so after a syntax error the parser skips to the next line that
/// starts a `key =` or a `[header]` and goes on: one run reports every broken line.
struct TOMLParser {
    var cursor: TOMLCursor
    private var errors: [TOMLSyntaxError] = []
    private let root = TOMLTableBuilder(path: [], headerLocation: nil, isDefined: true, isArrayElement: false)
    private var current: TOMLTableBuilder

    /// Arrays nested deeper than this are refused, so hostile input cannot exhaust the stack.
    static let maximumArrayDepth = 32

    private init(text: String) {
        cursor = TOMLCursor(text)
        current = root
    }

    /// Parses `text`; never throws: every problem is in the result's `errors`.
    static func parse(_ text: String) -> TOMLParseResult {
        var parser = TOMLParser(text: text)
        parser.parseDocument()
        return TOMLParseResult(root: parser.root.freeze(), errors: parser.errors)
    }

    private mutating func parseDocument() {
        while !cursor.isAtEnd {
            do throws(TOMLSyntaxError) {
                try parseLine()
            } catch {
                errors.append(error)
                recover()
            }
        }
    }

    /// One line: blank, a comment, a header, or a `key = value` (which may span lines).
    private mutating func parseLine() throws(TOMLSyntaxError) {
        cursor.skipSpaces()
        guard let scalar = cursor.peek() else { return }
        switch scalar {
        case "\n", "\r":
            try cursor.consumeNewline()
            return
        case "#":
            try cursor.skipComment()
        case "[":
            let header = try parseHeader()
            try expectLineEnd(after: "the table header \(header)")
        default:
            let key = try parseKeyValue()
            try expectLineEnd(after: "the value of key \(TOMLKey.quoted(key))")
        }
        if !cursor.isAtEnd {
            try cursor.consumeNewline()
        }
    }

    /// After a statement only spaces and a comment may follow on the line.
    private mutating func expectLineEnd(after what: String) throws(TOMLSyntaxError) {
        cursor.skipSpaces()
        if cursor.peek() == "#" {
            try cursor.skipComment()
        }
        guard cursor.isAtLineEnd else {
            throw TOMLSyntaxError(
                location: cursor.location,
                message: "expected the end of the line after \(what), found \(cursor.currentDescription)")
        }
    }

    /// Skips the broken line and any following line that cannot start a statement (the rest
    /// of a broken multi-line array, say), so one mistake is reported once.
    private mutating func recover() {
        // An array missing its ']' is noticed at the next statement; that line is kept.
        if !(cursor.isAtLineStart && lineStartsStatement()) {
            cursor.skipRestOfLine()
        }
        while !cursor.isAtEnd, !lineStartsStatement() {
            cursor.skipRestOfLine()
        }
    }

    /// Whether the line at the cursor reads as `key =` or as a `[header]`: a `[` (or `[[`)
    /// followed by a letter. A nested array such as `[3]` or `["a"]` alone on a line inside a
    /// multi-line array is not taken for a header that way.
    func lineStartsStatement() -> Bool {
        var probe = self
        probe.cursor.skipSpaces()
        if probe.cursor.peek() == "[" {
            var offset = 1
            while let scalar = probe.cursor.peek(offset), scalar == "[" || scalar == " " || scalar == "\t" {
                offset += 1
            }
            return probe.cursor.peek(offset)?.properties.isAlphabetic ?? false
        }
        do throws(TOMLSyntaxError) {
            _ = try probe.parseKeyPath(expecting: "a key")
            return probe.cursor.peek() == "="
        } catch {
            return false
        }
    }

    // MARK: Keys

    /// A dotted key path (`a`, `a.b`, `"a b".c`), with the location of each part; spaces
    /// around the dots are allowed, as in TOML. Leaves the cursor after trailing spaces.
    private mutating func parseKeyPath(expecting what: String) throws(TOMLSyntaxError) -> [(String, SourceLocation)] {
        var keys = [try parseSimpleKey(expecting: what)]
        cursor.skipSpaces()
        while cursor.peek() == "." {
            cursor.advance()
            cursor.skipSpaces()
            keys.append(try parseSimpleKey(expecting: "a key after '.'"))
            cursor.skipSpaces()
        }
        return keys
    }

    private mutating func parseSimpleKey(expecting what: String) throws(TOMLSyntaxError) -> (String, SourceLocation) {
        let location = cursor.location
        switch cursor.peek() {
        case "\"", "'":
            return (try parseString(), location)
        case let scalar? where TOMLKey.isBareKeyCharacter(scalar):
            var key = ""
            while let next = cursor.peek(), TOMLKey.isBareKeyCharacter(next) {
                key.unicodeScalars.append(next)
                cursor.advance()
            }
            return (key, location)
        default:
            throw TOMLSyntaxError(
                location: location, message: "expected \(what), found \(cursor.currentDescription)")
        }
    }

    // MARK: Key/value pairs

    /// `key = value`, stored in the current table. Returns the key for the line-end message.
    private mutating func parseKeyValue() throws(TOMLSyntaxError) -> String {
        let keys = try parseKeyPath(expecting: "a key or a [table] header")
        let (key, keyLocation) = keys[0]
        if keys.count > 1 {
            let tablePath = TOMLKey.displayPath((current.path + keys.dropLast().map(\.0)))
            throw TOMLSyntaxError(
                location: keyLocation,
                message: "dotted key \(TOMLKey.quoted(TOMLKey.displayPath(keys.map(\.0)))) is not supported; "
                    + "write \(TOMLKey.quoted(keys[keys.count - 1].0)) under a [\(tablePath)] header")
        }
        guard cursor.peek() == "=" else {
            throw TOMLSyntaxError(
                location: cursor.location, message: "expected '=' after key \(TOMLKey.quoted(key))")
        }
        cursor.advance()
        cursor.skipSpaces()
        guard !cursor.isAtLineEnd else {
            throw TOMLSyntaxError(
                location: cursor.location, message: "expected a value after '=' for key \(TOMLKey.quoted(key))")
        }
        let node = try parseValue(key: key, depth: 0)
        if let existing = current.slot(key) {
            errors.append(duplicateKeyError(key, at: keyLocation, existing: existing))
        } else {
            current.insert(key, .value(node, keyLocation: keyLocation))
        }
        return key
    }

    private func duplicateKeyError(
        _ key: String, at location: SourceLocation, existing: TOMLTableBuilder.Slot
    ) -> TOMLSyntaxError {
        let quotedKey = TOMLKey.quoted(key)
        let message: String
        switch existing {
        case .value(_, let first):
            message = "duplicate key \(quotedKey) \(current.place); it was first set at line \(first.line)"
        case .table(_, let first), .tableArray(_, let first):
            let name = TOMLKey.displayPath(current.path + [key])
            message = "key \(quotedKey) \(current.place) conflicts with the table [\(name)] at line \(first.line)"
        }
        return TOMLSyntaxError(location: location, message: message)
    }

    // MARK: Headers

    /// `[a.b]` or `[[a.b]]`; returns how the header reads, for the line-end message.
    private mutating func parseHeader() throws(TOMLSyntaxError) -> String {
        let location = cursor.location
        let (keys, isArray) = try parseHeaderName()
        let path = keys.map(\.0)
        let name = isArray ? "[[\(TOMLKey.displayPath(path))]]" : "[\(TOMLKey.displayPath(path))]"
        do throws(TOMLSyntaxError) {
            current = try defineTable(keys, isArray: isArray, at: location)
        } catch {
            // Keys under a broken header go to a detached table, so they add no second error.
            errors.append(error)
            current = TOMLTableBuilder(path: path, headerLocation: location, isDefined: true, isArrayElement: isArray)
        }
        return name
    }

    private mutating func parseHeaderName() throws(TOMLSyntaxError) -> ([(String, SourceLocation)], isArray: Bool) {
        cursor.advance()
        let isArray = cursor.peek() == "["
        if isArray {
            cursor.advance()
        }
        cursor.skipSpaces()
        let keys = try parseKeyPath(expecting: "a table name in the header")
        let closing = isArray ? "]]" : "]"
        let matches = cursor.peek() == "]" && (!isArray || cursor.peek(1) == "]")
        guard matches else {
            throw TOMLSyntaxError(
                location: cursor.location,
                message: "expected '\(closing)' after the table name \(TOMLKey.quoted(TOMLKey.displayPath(keys.map(\.0)))), "
                    + "found \(cursor.currentDescription)")
        }
        cursor.advance()
        if isArray {
            cursor.advance()
        }
        return (keys, isArray)
    }

    /// Finds or creates the table a header names, enforcing TOML's rules: a table is defined
    /// once; `[[x]]` appends; intermediate names reach into the last element of an array.
    private func defineTable(
        _ keys: [(String, SourceLocation)], isArray: Bool, at location: SourceLocation
    ) throws(TOMLSyntaxError) -> TOMLTableBuilder {
        var table = root
        for (offset, (key, keyLocation)) in keys.dropLast().enumerated() {
            let path = keys[...offset].map(\.0)
            switch table.slot(key) {
            case nil:
                let implicit = TOMLTableBuilder(path: path, headerLocation: location, isDefined: false, isArrayElement: false)
                table.insert(key, .table(implicit, keyLocation: keyLocation))
                table = implicit
            case .table(let existing, _):
                table = existing
            case .tableArray(let array, _):
                // `[a.b]` after `[[a]]` belongs to the last element of `a`, as in TOML.
                if let last = array.elements.last {
                    table = last
                }
            case .value(_, let first):
                throw TOMLSyntaxError(
                    location: keyLocation,
                    message: "\(TOMLKey.quoted(TOMLKey.displayPath(path))) is not a table: it was set to a value at line \(first.line)")
            }
        }
        let (key, keyLocation) = keys[keys.count - 1]
        let path = keys.map(\.0)
        let name = TOMLKey.displayPath(path)
        if isArray {
            let element = TOMLTableBuilder(path: path, headerLocation: location, isDefined: true, isArrayElement: true)
            switch table.slot(key) {
            case nil:
                let array = TOMLTableArrayBuilder()
                array.append(element)
                table.insert(key, .tableArray(array, keyLocation: keyLocation))
            case .tableArray(let array, _):
                array.append(element)
            case .table(let existing, _):
                throw TOMLSyntaxError(
                    location: location,
                    message: "cannot define [[\(name)]] as an array of tables: [\(name)] is already a table "
                        + "(line \(existing.headerLocation?.line ?? location.line))")
            case .value(_, let first):
                throw TOMLSyntaxError(
                    location: location,
                    message: "cannot define [[\(name)]]: \(TOMLKey.quoted(name)) was set to a value at line \(first.line)")
            }
            return element
        }
        switch table.slot(key) {
        case nil:
            let defined = TOMLTableBuilder(path: path, headerLocation: location, isDefined: true, isArrayElement: false)
            table.insert(key, .table(defined, keyLocation: keyLocation))
            return defined
        case .table(let existing, _):
            guard !existing.isDefined else {
                throw TOMLSyntaxError(
                    location: location,
                    message: "duplicate table [\(name)]; it was first defined at line \(existing.headerLocation?.line ?? location.line)")
            }
            existing.isDefined = true
            existing.headerLocation = location
            return existing
        case .tableArray(_, let first):
            throw TOMLSyntaxError(
                location: location,
                message: "cannot define [\(name)] as a table: it is already an array of tables ([[\(name)]]) from line \(first.line)")
        case .value(_, let first):
            throw TOMLSyntaxError(
                location: location,
                message: "cannot define [\(name)]: \(TOMLKey.quoted(name)) was set to a value at line \(first.line)")
        }
    }
}
