/// An ordered JSON value, printed exactly the way dmctl prints its replies.
///
/// dmctl prints protobuf replies through `jsonpb` (every field present, proto field order) and
/// its synthesized replies through Go's `encoding/json` `MarshalIndent` (struct field order,
/// `omitempty` honoured). Both end up with the same layout: four-space indent, `": "` between
/// key and value, `[]`/`{}` for empty containers and Go's string escaping (HTML characters as
/// `\u003c`, `\u003e`, `\u0026`). Keeping the keys ordered is what makes golden comparisons possible.
enum ReplyJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([ReplyJSON])
    case object([(String, ReplyJSON)])

    static func == (lhs: ReplyJSON, rhs: ReplyJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// An int64/uint64 proto field: jsonpb prints those as strings.
    static func int64(_ value: Int) -> ReplyJSON { .string(String(value)) }

    /// The text dmctl would print (without the trailing newline `fmt.Println` adds).
    var rendered: String {
        var out = ""
        render(into: &out, indent: 0)
        return out
    }

    private func render(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .string(let value): ReplyJSON.appendQuoted(value, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += String(repeating: " ", count: (indent + 1) * 4)
                item.render(into: &out, indent: indent + 1)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent * 4) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (index, member) in members.enumerated() {
                out += String(repeating: " ", count: (indent + 1) * 4)
                ReplyJSON.appendQuoted(member.0, to: &out)
                out += ": "
                member.1.render(into: &out, indent: indent + 1)
                out += index == members.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent * 4) + "}"
        }
    }

    /// Go's `encoding/json` string escaping, which both of dmctl's encoders share.
    private static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension ReplyJSON {
    /// Builds an object from key/value pairs, dropping the ones that are `nil`.
    ///
    /// This is how `encoding/json`'s `omitempty` is expressed: the caller passes `nil` for a
    /// field that Go would leave out (false, 0, "", an empty slice).
    static func omittingNil(_ members: [(String, ReplyJSON?)]) -> ReplyJSON {
        .object(members.compactMap { key, value in value.map { (key, $0) } })
    }
}
