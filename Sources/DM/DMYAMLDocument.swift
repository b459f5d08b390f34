/// A line-based reader for the block-style YAML subset of DM source and task files.
///
/// It indexes every `key: value` by its dotted path (`from.host`, `mysql-instances[0].source-id`)
/// with the line and the exact character range of the value, which is what both the reader
/// and the byte-preserving rewriter need. It is strict about what it understands (block
/// mappings and sequences, plain and quoted scalars, comments) and tolerant of the rest:
/// flow collections, block scalars, anchors and tags are kept as raw text and only become an
/// error if dmswitch needs that particular value. A full YAML parser would be far more code
/// than these files need, and could not say which bytes to change.
struct DMYAMLDocument {
    /// One `key: value` (or `- value`) occurrence.
    struct Entry {
        let path: String
        /// 0-based index into `lines`.
        let lineIndex: Int
        /// The value token's range within `lines[lineIndex]`; `nil` when the key has no inline value.
        let valueRange: Range<String.Index>?
        let style: DMYAMLStyle?
        let value: String?

        var lineNumber: Int { lineIndex + 1 }
    }

    /// The file split at "\n" (a "\r" before it stays on the line); joining with "\n" gives
    /// the exact original text back.
    let lines: [String]
    let entries: [String: Entry]
    let path: String
    let action: String

    init(text: String, path: String, action: String) throws(DMFileError) {
        self.path = path
        self.action = action
        lines = DMTextLines.split(text)
        var entries: [String: Entry] = [:]
        // Open mappings and sequence items, innermost last: the indentation of the key or
        // dash, and the path of what it opened.
        var stack: [(indent: Int, path: String, isItem: Bool)] = []
        var itemCounts: [String: Int] = [:]
        var blockScalarIndent: Int?

        func fail(_ index: Int, _ problem: String) -> DMFileError {
            DMFileError(action: action, path: path, line: index + 1, problem: problem)
        }

        func record(_ entry: Entry) throws(DMFileError) {
            if let previous = entries[entry.path] {
                throw fail(entry.lineIndex, "`\(entry.path)` is already set on line \(previous.lineNumber)")
            }
            entries[entry.path] = entry
        }

        for (index, rawLine) in lines.enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : Substring(rawLine)
            let indentation = line.prefix { $0 == " " || $0 == "\t" }
            let content = line.dropFirst(indentation.count)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if indentation.contains("\t") { throw fail(index, "the line is indented with a tab, which YAML does not allow") }
            let indent = indentation.count
            if let blockIndent = blockScalarIndent {
                if indent > blockIndent { continue }
                blockScalarIndent = nil
            }
            if indent == 0 && (content.hasPrefix("---") || content.hasPrefix("...")) {
                if content.count == 3 || content.dropFirst(3).first == " " {
                    stack.removeAll()
                    continue
                }
            }

            var column = indent
            var rest = content
            if rest == "-" || rest.hasPrefix("- ") {
                // A sequence item: its parent is the innermost key opened at a smaller indent,
                // or at the same indent when the key has no inline value (`key:\n- item`).
                while let top = stack.last, top.indent > indent || (top.indent == indent && top.isItem) {
                    stack.removeLast()
                }
                guard let parent = stack.last else { throw fail(index, "a list item has no key above it") }
                let number = itemCounts[parent.path, default: 0]
                itemCounts[parent.path] = number + 1
                let itemPath = "\(parent.path)[\(number)]"
                stack.append((indent, itemPath, true))
                rest = rest.dropFirst()
                let spaces = rest.prefix { $0 == " " }
                column = indent + 1 + spaces.count
                rest = rest.dropFirst(spaces.count)
                if rest.isEmpty || rest.hasPrefix("#") { continue }
                if Self.keyEnd(in: rest) == nil {
                    // A list of scalars: record the item itself.
                    guard let scanned = DMYAMLScalar.scan(rest) else { throw fail(index, "a quoted value is not closed on its line") }
                    try record(Entry(path: itemPath, lineIndex: index, valueRange: scanned.range, style: scanned.style, value: scanned.value))
                    continue
                }
            } else {
                while let top = stack.last, top.indent >= indent { stack.removeLast() }
            }

            guard let colon = Self.keyEnd(in: rest) else {
                throw fail(index, "expected `key: value`, found \"\(rest.prefix(60))\"")
            }
            let key = try Self.key(rest[rest.startIndex..<colon], line: index, fail: fail)
            let parentPath = stack.last?.path
            let entryPath = parentPath.map { "\($0).\(key)" } ?? key
            var valueText = rest[rest.index(after: colon)...]
            valueText = valueText.drop { $0 == " " || $0 == "\t" }
            if valueText.isEmpty || valueText.hasPrefix("#") {
                try record(Entry(path: entryPath, lineIndex: index, valueRange: nil, style: nil, value: nil))
                stack.append((column, entryPath, false))
                continue
            }
            guard let scanned = DMYAMLScalar.scan(valueText) else {
                // A quoted value continued on the next lines: keep the key, mark the value unreadable.
                try record(Entry(path: entryPath, lineIndex: index, valueRange: nil, style: .flow, value: nil))
                stack.append((column, entryPath, false))
                continue
            }
            if scanned.style == .block { blockScalarIndent = column }
            try record(Entry(path: entryPath, lineIndex: index, valueRange: scanned.range, style: scanned.style, value: scanned.value))
            stack.append((column, entryPath, false))
        }
        self.entries = entries
    }

    /// The index of the colon ending a key: the first ':' followed by a space or the end of
    /// the line, outside a quoted key.
    static func keyEnd(in text: Substring) -> String.Index? {
        var index = text.startIndex
        if let first = text.first, first == "'" || first == "\"" {
            guard let close = text[text.index(after: index)...].firstIndex(of: first) else { return nil }
            index = text.index(after: close)
            guard index < text.endIndex, text[index] == ":" else { return nil }
            let next = text.index(after: index)
            return next == text.endIndex || text[next] == " " || text[next] == "\t" ? index : nil
        }
        if let first = text.first, "{[|>\"'".contains(first) { return nil }
        while index < text.endIndex {
            if text[index] == "#" && index > text.startIndex && text[text.index(before: index)] == " " { return nil }
            if text[index] == ":" {
                let next = text.index(after: index)
                if next == text.endIndex || text[next] == " " || text[next] == "\t" { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func key(
        _ text: Substring, line: Int, fail: (Int, String) -> DMFileError
    ) throws(DMFileError) -> String {
        if let first = text.first, first == "'" || first == "\"" {
            guard let scanned = DMYAMLScalar.scan(text), scanned.range.upperBound == text.endIndex else {
                throw fail(line, "the key \(text) is not a valid quoted key")
            }
            return scanned.value
        }
        let key = text.trimmingSpaces
        if key.isEmpty { throw fail(line, "a key is empty") }
        return key
    }

    // MARK: Typed access

    func entry(_ path: String) -> Entry? { entries[path] }

    /// A required string value.
    func string(_ key: String) throws(DMFileError) -> String {
        guard let entry = entries[key] else {
            throw DMFileError(action: action, path: path, problem: "it has no `\(key)`")
        }
        return try scalar(entry)
    }

    /// An optional string value; `nil` when the key is absent or its value is empty or `null`.
    func optionalString(_ key: String) throws(DMFileError) -> String? {
        guard let entry = entries[key], entry.valueRange != nil || entry.style != nil else { return nil }
        let value = try scalar(entry)
        if entry.style == .plain && (value.isEmpty || value == "~" || value.lowercased() == "null") { return nil }
        return value
    }

    /// A required TCP port (1–65535).
    func port(_ key: String) throws(DMFileError) -> Int {
        let text = try string(key)
        guard let port = Int(text), (1...65535).contains(port) else {
            throw DMFileError(
                action: action, path: path, line: entries[key]?.lineNumber, problem: "`\(key)` is \"\(text)\", not a port number")
        }
        return port
    }

    /// An optional boolean with DM's default when absent.
    func bool(_ key: String, absent: Bool) throws(DMFileError) -> Bool {
        guard let text = try optionalString(key) else { return absent }
        guard let value = DMYAMLScalar.boolean(text) else {
            throw DMFileError(
                action: action, path: path, line: entries[key]?.lineNumber, problem: "`\(key)` is \"\(text)\", not true or false")
        }
        return value
    }

    /// The number of items of a sequence.
    func itemCount(_ key: String) -> Int {
        var count = 0
        while entries.keys.contains(where: { $0.hasPrefix("\(key)[\(count)]") }) { count += 1 }
        return count
    }

    private func scalar(_ entry: Entry) throws(DMFileError) -> String {
        guard let value = entry.value, let style = entry.style else {
            throw DMFileError(
                action: action, path: path, line: entry.lineNumber,
                problem: entry.style == nil
                    ? "`\(entry.path)` has no value on its line"
                    : "`\(entry.path)` spans several lines, which dmswitch does not read")
        }
        switch style {
        case .plain, .singleQuoted, .doubleQuoted:
            return value
        case .flow, .block, .decorated:
            throw DMFileError(
                action: action, path: path, line: entry.lineNumber,
                problem: "`\(entry.path)` is written as \"\(value.prefix(40))\"; dmswitch reads only plain or quoted values here")
        }
    }
}
