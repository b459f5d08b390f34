import Foundation

/// A decoded JSON document, kept as a tree so dmctl's replies can be read field by field.
///
/// dmctl prints two encodings (jsonpb with every field present, and Go `encoding/json` with
/// `omitempty`) and several versions add or drop fields. Decoding into fixed `Codable` structs
/// would turn every version difference into a decoding failure with a poor message; a tree read
/// through `JSONCursor` lets each parser say exactly which field was missing or mistyped.
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Decodes `text` strictly; `nil` when it is not one complete JSON value.
    static func decode(_ text: Substring) -> JSONValue? {
        guard let data = String(text).data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// The JSON kind in words, for error messages ("a number, not a string").
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
