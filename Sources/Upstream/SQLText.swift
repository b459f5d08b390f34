/// Quoting for the few values the sandbox puts into SQL text.
enum SQLText {
    /// A single-quoted string literal with backslashes and quotes escaped.
    static func literal(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "'": escaped += "\\'"
            case "\0": escaped += "\\0"
            default: escaped.append(character)
            }
        }
        return "'\(escaped)'"
    }

    /// True for a plain identifier (letters, digits, underscore; not starting with a digit).
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.first, !first.isNumber, name.count <= 64 else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
    }
}
