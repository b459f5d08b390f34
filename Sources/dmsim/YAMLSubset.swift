import Foundation

/// A node of the small YAML subset that DM source and task files use.
///
/// DM files are block mappings and sequences of plain or quoted scalars, with the occasional
/// flow sequence (`do-dbs: ["db1", "db2"]`) or block scalar. dmsim needs only a few keys from
/// them, so a line-based reader is enough; anything outside the subset is reported with its
/// line number instead of being guessed at.
indirect enum YAMLNode: Equatable, Sendable {
    case scalar(String)
    case mapping([YAMLEntry])
    case sequence([YAMLNode])

    subscript(key: String) -> YAMLNode? {
        guard case .mapping(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The scalar text; `nil` for a mapping or sequence.
    var string: String? {
        guard case .scalar(let text) = self else { return nil }
        return text
    }

    var int: Int? { string.flatMap { Int($0) } }

    /// YAML 1.1 booleans as Go's yaml decoder reads them.
    var bool: Bool? {
        switch string?.lowercased() {
        case "true", "yes", "on", "y": return true
        case "false", "no", "off", "n": return false
        default: return nil
        }
    }

    var items: [YAMLNode] {
        guard case .sequence(let items) = self else { return [] }
        return items
    }
}

/// One `key: value` pair of a mapping, in file order.
struct YAMLEntry: Equatable, Sendable {
    var key: String
    var value: YAMLNode
}

/// Why a YAML file could not be read, with the 1-based line it concerns.
struct YAMLError: Error, Equatable, CustomStringConvertible {
    var line: Int
    var reason: String
    var description: String { "line \(line): \(reason)" }
}

/// Reads the YAML subset described at `YAMLNode`.
struct YAMLReader {
    private struct Line {
        var number: Int
        var indent: Int
        var text: String
    }

    private var lines: [Line] = []
    private var index = 0

    /// Parses a whole document; an empty document is an empty mapping.
    static func parse(_ text: String) throws(YAMLError) -> YAMLNode {
        var reader = YAMLReader()
        try reader.load(text)
        guard let first = reader.lines.first else { return .mapping([]) }
        let node = try reader.block(indent: first.indent)
        if reader.index < reader.lines.count {
            let line = reader.lines[reader.index]
            throw YAMLError(line: line.number, reason: "unexpected indentation")
        }
        return node
    }

    private mutating func load(_ text: String) throws(YAMLError) {
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            let body = line.drop { $0 == " " }
            if body.hasPrefix("\t") {
                throw YAMLError(line: number, reason: "tabs are not allowed for indentation")
            }
            let content = YAMLReader.stripComment(String(body))
            let trimmed = content.trimmingTrailingSpaces()
            if trimmed.isEmpty || trimmed == "---" || trimmed == "..." { continue }
            lines.append(Line(number: number, indent: line.count - body.count, text: trimmed))
        }
    }

    /// Removes a `#` comment that is outside quotes and starts the line or follows a space.
    private static func stripComment(_ text: String) -> String {
        var quote: Character? = nil
        var previous: Character = " "
        for (offset, char) in text.enumerated() {
            if let open = quote {
                if char == open { quote = nil }
            } else if char == "\"" || char == "'" {
                quote = char
            } else if char == "#" && (previous == " " || offset == 0) {
                return String(text.prefix(offset))
            }
            previous = char
        }
        return text
    }

    private mutating func block(indent: Int) throws(YAMLError) -> YAMLNode {
        let first = lines[index]
        if first.text == "-" || first.text.hasPrefix("- ") {
            return try sequence(indent: indent)
        }
        return try mapping(indent: indent)
    }

    private mutating func sequence(indent: Int) throws(YAMLError) -> YAMLNode {
        var items: [YAMLNode] = []
        while index < lines.count, lines[index].indent == indent,
              lines[index].text == "-" || lines[index].text.hasPrefix("- ") {
            let line = lines[index]
            let rest = String(line.text.dropFirst()).drop { $0 == " " }
            if rest.isEmpty {
                index += 1
                items.append(try nested(after: line, parentIndent: indent, allowSameIndentSequence: false))
                continue
            }
            let offset = line.text.count - rest.count
            if YAMLReader.splitKey(String(rest)) != nil || rest.hasPrefix("- ") {
                // `- key: value` opens a mapping whose keys line up with `key`.
                lines[index] = Line(number: line.number, indent: indent + offset, text: String(rest))
                items.append(try block(indent: indent + offset))
            } else {
                index += 1
                items.append(try YAMLReader.scalarOrFlow(String(rest), line: line.number))
            }
        }
        return .sequence(items)
    }

    private mutating func mapping(indent: Int) throws(YAMLError) -> YAMLNode {
        var entries: [YAMLEntry] = []
        while index < lines.count, lines[index].indent == indent {
            let line = lines[index]
            if line.text == "-" || line.text.hasPrefix("- ") { break }
            guard let (key, value) = YAMLReader.splitKey(line.text) else {
                throw YAMLError(line: line.number, reason: "expected \"key: value\", found \"\(line.text)\"")
            }
            if entries.contains(where: { $0.key == key }) {
                throw YAMLError(line: line.number, reason: "key \"\(key)\" appears twice")
            }
            index += 1
            let node: YAMLNode
            if value.isEmpty {
                node = try nested(after: line, parentIndent: indent, allowSameIndentSequence: true)
            } else if value == "|" || value == ">" || value.hasPrefix("|") || value.hasPrefix(">") {
                node = .scalar(blockScalar(parentIndent: indent, folded: value.hasPrefix(">")))
            } else {
                node = try YAMLReader.scalarOrFlow(value, line: line.number)
            }
            entries.append(YAMLEntry(key: key, value: node))
        }
        return .mapping(entries)
    }

    /// The value of `key:` or `-` with nothing after it: a deeper block, or null.
    private mutating func nested(after line: Line, parentIndent: Int,
                                 allowSameIndentSequence: Bool) throws(YAMLError) -> YAMLNode {
        guard index < lines.count else { return .scalar("") }
        let next = lines[index]
        if next.indent > parentIndent { return try block(indent: next.indent) }
        if allowSameIndentSequence, next.indent == parentIndent,
           next.text == "-" || next.text.hasPrefix("- ") {
            return try sequence(indent: parentIndent)
        }
        return .scalar("")
    }

    private mutating func blockScalar(parentIndent: Int, folded: Bool) -> String {
        var parts: [String] = []
        while index < lines.count, lines[index].indent > parentIndent {
            parts.append(lines[index].text)
            index += 1
        }
        return parts.joined(separator: folded ? " " : "\n")
    }

    /// Splits `key: value` (or `key:`) outside quotes; nil when the line is not a pair.
    private static func splitKey(_ text: String) -> (String, String)? {
        var quote: Character? = nil
        let chars = Array(text)
        for offset in chars.indices {
            let char = chars[offset]
            if let open = quote {
                if char == open { quote = nil }
                continue
            }
            if (char == "\"" || char == "'") && offset == 0 { quote = char; continue }
            if char == ":" && (offset == chars.count - 1 || chars[offset + 1] == " ") {
                let rawKey = String(chars[..<offset]).trimmingTrailingSpaces()
                let value = String(chars[(offset + 1)...]).drop { $0 == " " }
                guard !rawKey.isEmpty, let key = try? unquote(rawKey, line: 0) else { return nil }
                return (key, String(value))
            }
        }
        return nil
    }

    private static func scalarOrFlow(_ text: String, line: Int) throws(YAMLError) -> YAMLNode {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else {
                throw YAMLError(line: line, reason: "a flow sequence must close on the same line")
            }
            let inner = String(text.dropFirst().dropLast())
            var items: [YAMLNode] = []
            for part in splitFlow(inner) where !part.isEmpty {
                items.append(.scalar(try unquote(part, line: line)))
            }
            return .sequence(items)
        }
        if text.hasPrefix("{") {
            guard text.hasSuffix("}") else {
                throw YAMLError(line: line, reason: "a flow mapping must close on the same line")
            }
            var entries: [YAMLEntry] = []
            for part in splitFlow(String(text.dropFirst().dropLast())) where !part.isEmpty {
                guard let (key, value) = splitKey(part) else {
                    throw YAMLError(line: line, reason: "expected \"key: value\" in a flow mapping")
                }
                entries.append(YAMLEntry(key: key, value: .scalar(try unquote(value, line: line))))
            }
            return .mapping(entries)
        }
        return .scalar(try unquote(text, line: line))
    }

    private static func splitFlow(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character? = nil
        for char in text {
            if let open = quote {
                if char == open { quote = nil }
                current.append(char)
            } else if char == "\"" || char == "'" {
                quote = char
                current.append(char)
            } else if char == "," {
                parts.append(current.trimmingSpaces())
                current = ""
            } else {
                current.append(char)
            }
        }
        parts.append(current.trimmingSpaces())
        return parts
    }

    /// Resolves a plain, single-quoted or double-quoted scalar to its text.
    private static func unquote(_ raw: String, line: Int) throws(YAMLError) -> String {
        let text = raw.trimmingSpaces()
        if text.hasPrefix("'") {
            guard text.count >= 2, text.hasSuffix("'") else {
                throw YAMLError(line: line, reason: "unterminated single-quoted string")
            }
            return String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\"") else {
                throw YAMLError(line: line, reason: "unterminated double-quoted string")
            }
            return try unescape(String(text.dropFirst().dropLast()), line: line)
        }
        if text == "~" || text == "null" || text == "Null" || text == "NULL" { return "" }
        return text
    }

    private static func unescape(_ body: String, line: Int) throws(YAMLError) -> String {
        var out = ""
        var iterator = body.makeIterator()
        while let char = iterator.next() {
            guard char == "\\" else { out.append(char); continue }
            guard let escaped = iterator.next() else {
                throw YAMLError(line: line, reason: "a backslash ends a double-quoted string")
            }
            switch escaped {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "0": out.append("\0")
            case "\"", "\\", "/", " ": out.append(escaped)
            case "u":
                var hex = ""
                for _ in 0..<4 { if let digit = iterator.next() { hex.append(digit) } }
                guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
                    throw YAMLError(line: line, reason: "invalid \\u escape \"\\u\(hex)\"")
                }
                out.unicodeScalars.append(scalar)
            default:
                throw YAMLError(line: line, reason: "unsupported escape \"\\\(escaped)\"")
            }
        }
        return out
    }
}

extension String {
    func trimmingSpaces() -> String { trimmingCharacters(in: .whitespaces) }

    func trimmingTrailingSpaces() -> String {
        var copy = self
        while let last = copy.last, last == " " || last == "\t" { copy.removeLast() }
        return copy
    }
}
