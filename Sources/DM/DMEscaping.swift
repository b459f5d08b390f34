/// Escaping shared by the two double-quoted syntaxes dmswitch writes: JSON strings and YAML
/// double-quoted scalars, which accept the same escapes for these characters.
enum DMEscaping {
    /// `text` escaped for use between double quotes: quote, backslash, line breaks, tab, and
    /// other control characters as `\u00XX`.
    static func doubleQuotedBody(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }
}
