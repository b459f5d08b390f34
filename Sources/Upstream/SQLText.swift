/// Quoting for the values dmswitch and its tools put into SQL text.
///
/// Statements such as `CHANGE MASTER TO`, `PURGE BINARY LOGS TO` and
/// `SHOW BINLOG EVENTS IN` take literals, not placeholders, in the text
/// protocol, so every value that reaches them goes through here.
public enum SQLText {
    /// A single-quoted string literal with backslash, quote, NUL and line breaks escaped.
    public static func literal(_ text: String) -> String {
        var escaped = "'"
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "'": escaped += "\\'"
            case "\0": escaped += "\\0"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            default: escaped.append(character)
            }
        }
        return escaped + "'"
    }

    /// True for a plain identifier: ASCII letters, digits and underscore, not
    /// starting with a digit, at most 64 characters (MySQL's identifier limit).
    public static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.first, !first.isNumber, name.count <= 64 else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
    }
}
