/// How a YAML scalar value is written on its line, so a rewrite can keep the author's style.
enum DMYAMLStyle: Hashable, Sendable {
    case plain
    case singleQuoted
    case doubleQuoted
    /// `{…}` or `[…]`: read as raw text, never rewritten.
    case flow
    /// `|` or `>`: the value is on the following lines; never rewritten.
    case block
    /// An anchor, alias or tag (`&a`, `*a`, `!!str`): read as raw text, never rewritten.
    case decorated
}

/// Reading and writing the scalar forms DM's YAML files use: plain, 'single' and "double" quoted.
enum DMYAMLScalar {
    /// Splits the text after `key:` into the value token and the rest (spaces and a comment).
    /// Returns the token's character range within `text`, its style and its decoded value;
    /// `nil` when the token is not closed on this line.
    static func scan(_ text: Substring) -> (range: Range<String.Index>, style: DMYAMLStyle, value: String)? {
        guard let first = text.first else { return nil }
        switch first {
        case "'":
            var value = ""
            var index = text.index(after: text.startIndex)
            while index < text.endIndex {
                let character = text[index]
                let next = text.index(after: index)
                if character == "'" {
                    if next < text.endIndex && text[next] == "'" {
                        value.append("'")
                        index = text.index(after: next)
                        continue
                    }
                    return (text.startIndex..<next, .singleQuoted, value)
                }
                value.append(character)
                index = next
            }
            return nil
        case "\"":
            var value = ""
            var index = text.index(after: text.startIndex)
            while index < text.endIndex {
                let character = text[index]
                var next = text.index(after: index)
                if character == "\"" { return (text.startIndex..<next, .doubleQuoted, value) }
                if character == "\\" {
                    guard next < text.endIndex else { return nil }
                    let escaped = text[next]
                    next = text.index(after: next)
                    switch escaped {
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    case "r": value.append("\r")
                    case "0": value.append("\0")
                    case "\"", "\\", "/", " ": value.append(escaped)
                    case "u":
                        guard let end = text.index(next, offsetBy: 4, limitedBy: text.endIndex),
                            let code = UInt32(text[next..<end], radix: 16), let scalar = Unicode.Scalar(code)
                        else { return nil }
                        value.unicodeScalars.append(scalar)
                        next = end
                    default: return nil
                    }
                } else {
                    value.append(character)
                }
                index = next
            }
            return nil
        default:
            // A plain scalar ends at " #" (a comment) or the end of the line; trailing spaces are not part of it.
            var end = text.endIndex
            var index = text.startIndex
            while index < text.endIndex {
                if text[index] == "#", index > text.startIndex, text[text.index(before: index)] == " " || text[text.index(before: index)] == "\t" {
                    end = index
                    break
                }
                index = text.index(after: index)
            }
            var trimmedEnd = end
            while trimmedEnd > text.startIndex, text[text.index(before: trimmedEnd)] == " " || text[text.index(before: trimmedEnd)] == "\t" {
                trimmedEnd = text.index(before: trimmedEnd)
            }
            let token = text[text.startIndex..<trimmedEnd]
            let style: DMYAMLStyle
            switch first {
            case "{", "[": style = .flow
            case "|", ">": style = .block
            case "&", "*", "!": style = .decorated
            default: style = .plain
            }
            return (text.startIndex..<trimmedEnd, style, String(token))
        }
    }

    /// `value` written in `style` (plain, single- or double-quoted). A plain value that YAML
    /// would read as something else (a boolean, a number, null, or text with special
    /// characters) is double-quoted instead, so the file keeps meaning a string.
    static func render(_ value: String, style: DMYAMLStyle, numeric: Bool = false) -> String {
        switch style {
        case .singleQuoted:
            return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        case .doubleQuoted:
            return "\"" + DMEscaping.doubleQuotedBody(value) + "\""
        default:
            if numeric || isSafePlain(value) { return value }
            return "\"" + DMEscaping.doubleQuotedBody(value) + "\""
        }
    }

    /// Whether `value` reads back as the same string when written plain: host names and IPv4
    /// addresses do; `yes`, `null`, `123`, `::1` and text with spaces or quotes do not.
    static func isSafePlain(_ value: String) -> Bool {
        guard let first = value.first, first.isASCII, first.isLetter || first.isNumber else { return false }
        guard value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }) else {
            return false
        }
        if first.isNumber && value.filter({ $0 == "." }).count < 2 {
            return false  // could read as a number (10, 1.5, 0x1f, 1_000); IPv4 addresses have three dots
        }
        let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"]
        return !reserved.contains(value.lowercased())
    }

    /// YAML 1.1 booleans as DM's YAML library (go-yaml v2) reads them.
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "y": true
        case "false", "no", "off", "n": false
        default: nil
        }
    }
}
