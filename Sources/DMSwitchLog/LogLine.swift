/// Renders an event as one line: a stable sentence, then `key=value` context.
///
/// One event must be one line whatever the data holds: syslog daemons other than journald escape
/// or split newlines, and operators grep. So control characters are escaped in the sentence and
/// in values, values with spaces, quotes, `=` or backslashes are quoted (logfmt style), and keys
/// that name secrets are redacted whatever their value says.
public enum LogLine {
    /// Key fragments that mark a secret (matched case-insensitively anywhere in the key).
    public static let secretKeyFragments = ["password", "passwd", "secret", "token"]

    /// `Switched DM to a new upstream group=orders run=r-7 from=db-a to=db-b`.
    public static func render(_ message: String, context: [(key: String, value: LogValue)]) -> String {
        var line = escapeControlCharacters(message)
        for (key, value) in context {
            line += " " + sanitizedKey(key) + "=" + renderedValue(value, forKey: key)
        }
        return line
    }

    /// A key reduced to letters, digits, `_`, `.` and `-`, so `key=value` stays parseable.
    static func sanitizedKey(_ key: String) -> String {
        let kept = key.unicodeScalars.map { scalar -> Character in
            let allowed = scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_.-".unicodeScalars.contains(scalar))
            return allowed ? Character(scalar) : "_"
        }
        return kept.isEmpty ? "_" : String(kept)
    }

    /// True when `key` names a secret.
    public static func isSecretKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return secretKeyFragments.contains { lower.contains($0) }
    }

    static func renderedValue(_ value: LogValue, forKey key: String) -> String {
        if value.isRedacted || isSecretKey(key) { return LogValue.redactedText }
        let text = value.description
        return needsQuoting(text) ? quoted(text) : text
    }

    static func needsQuoting(_ text: String) -> Bool {
        text.isEmpty || text.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "\"" || scalar == "=" || scalar == "\\"
                || scalar.properties.isWhitespace || isControl(scalar)
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out += escaped(scalar)
            }
        }
        return out + "\""
    }

    static func escapeControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return text.unicodeScalars.map(escaped).joined()
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            guard isControl(scalar) else { return String(scalar) }
            let hex = String(scalar.value, radix: 16)
            return scalar.value <= 0xFF ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
        }
    }

    /// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
    }
}
