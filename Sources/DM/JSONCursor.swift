import Foundation

/// Why a JSON tree does not have the shape a parser needs, naming the field by its path.
struct JSONShapeError: Error, Sendable, Equatable {
    /// Path of the offending field, e.g. `sources[0].subTaskStatus[1].stage`.
    var path: String
    /// What is wrong with it, e.g. "is missing" or "is a number, not a string".
    var problem: String

    var sentence: String { "`\(path)` \(problem)" }
}

/// A position in a `JSONValue` tree that knows its path, so every accessor can fail with a
/// message naming the exact field.
///
/// The accessors encode dmctl's conventions once: `null` and a missing key mean "no value" for
/// messages and optional sub-objects; int64 fields arrive as strings; a missing boolean
/// `result` means false (Go `encoding/json` with `omitempty` drops false values).
struct JSONCursor: Sendable {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    private func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func object() throws(JSONShapeError) -> [String: JSONValue] {
        guard case .object(let fields) = value else {
            throw JSONShapeError(path: path.isEmpty ? "(top level)" : path, problem: "is \(value.kindName), not an object")
        }
        return fields
    }

    /// Whether the key is present with a non-null value.
    func has(_ key: String) throws(JSONShapeError) -> Bool {
        guard let child = try object()[key] else { return false }
        return child != .null
    }

    /// The child at `key`; `nil` when it is missing or `null`.
    func optional(_ key: String) throws(JSONShapeError) -> JSONCursor? {
        guard let child = try object()[key], child != .null else { return nil }
        return JSONCursor(child, path: childPath(key))
    }

    /// The child at `key`, which must be present and not `null`.
    func required(_ key: String) throws(JSONShapeError) -> JSONCursor {
        guard let child = try optional(key) else {
            throw JSONShapeError(path: childPath(key), problem: "is missing")
        }
        return child
    }

    /// An optional object child: `nil` when missing or `null`, an error when not an object.
    func optionalObject(_ key: String) throws(JSONShapeError) -> JSONCursor? {
        guard let child = try optional(key) else { return nil }
        _ = try child.object()
        return child
    }

    /// A required object child.
    func requiredObject(_ key: String) throws(JSONShapeError) -> JSONCursor {
        let child = try required(key)
        _ = try child.object()
        return child
    }

    /// A string child; `nil` when missing or `null`.
    func optionalString(_ key: String) throws(JSONShapeError) -> String? {
        guard let child = try optional(key) else { return nil }
        return try child.stringValue()
    }

    /// A required string child.
    func string(_ key: String) throws(JSONShapeError) -> String {
        try required(key).stringValue()
    }

    /// A message-like string: missing, `null` and `""` all mean "no message".
    func message(_ key: String) throws(JSONShapeError) -> String? {
        guard let text = try optionalString(key), !text.isEmpty else { return nil }
        return text
    }

    /// A boolean; missing or `null` gives `absent` (dmctl's `omitempty` drops `false`).
    func bool(_ key: String, absent: Bool = false) throws(JSONShapeError) -> Bool {
        guard let child = try optional(key) else { return absent }
        guard case .bool(let flag) = child.value else {
            throw JSONShapeError(path: child.path, problem: "is \(child.value.kindName), not a boolean")
        }
        return flag
    }

    /// An optional boolean: `nil` when missing or `null`.
    func optionalBool(_ key: String) throws(JSONShapeError) -> Bool? {
        guard try has(key) else { return nil }
        return try bool(key)
    }

    /// An integer that jsonpb prints as a string (int64/uint64) or a number (int32);
    /// `nil` when missing or `null`.
    func optionalInteger(_ key: String) throws(JSONShapeError) -> Int64? {
        guard let child = try optional(key) else { return nil }
        switch child.value {
        case .integer(let number):
            return number
        case .string(let text):
            guard let number = Int64(text.trimmingSpaces) else {
                throw JSONShapeError(path: child.path, problem: "is the string \"\(text.prefix(40))\", not an integer")
            }
            return number
        default:
            throw JSONShapeError(path: child.path, problem: "is \(child.value.kindName), not an integer")
        }
    }

    /// An unsigned 64-bit id (jsonpb prints uint64 as a string) kept as its decimal text,
    /// because ids like etcd member ids exceed `Int64`; `nil` when missing or `null`.
    func optionalUnsignedText(_ key: String) throws(JSONShapeError) -> String? {
        guard let child = try optional(key) else { return nil }
        switch child.value {
        case .integer(let number) where number >= 0:
            return String(number)
        case .string(let text) where UInt64(text) != nil:
            return text
        default:
            throw JSONShapeError(path: child.path, problem: "is \(child.value.kindName), not an unsigned integer")
        }
    }

    /// The elements of an array child; missing and `null` give no elements (jsonpb prints an
    /// empty repeated field as `[]`, `encoding/json` with `omitempty` drops it).
    func array(_ key: String) throws(JSONShapeError) -> [JSONCursor] {
        guard let child = try optional(key) else { return [] }
        return try child.elements()
    }

    /// A required array child.
    func requiredArray(_ key: String) throws(JSONShapeError) -> [JSONCursor] {
        try required(key).elements()
    }

    /// The elements of this array.
    func elements() throws(JSONShapeError) -> [JSONCursor] {
        guard case .array(let items) = value else {
            throw JSONShapeError(path: path, problem: "is \(value.kindName), not an array")
        }
        return items.enumerated().map { JSONCursor($0.element, path: "\(path)[\($0.offset)]") }
    }

    /// This value as a string.
    func stringValue() throws(JSONShapeError) -> String {
        guard case .string(let text) = value else {
            throw JSONShapeError(path: path, problem: "is \(value.kindName), not a string")
        }
        return text
    }

    /// An array of strings; missing and `null` give none.
    func strings(_ key: String) throws(JSONShapeError) -> [String] {
        var result: [String] = []
        for element in try array(key) {
            result.append(try element.stringValue())
        }
        return result
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
