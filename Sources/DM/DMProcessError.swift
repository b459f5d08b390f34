/// An error a DM subtask, relay or source reports in its `result.errors` list.
///
/// DM v2+ prints `ProcessError` flat with class, scope and level as names
/// (`{"ErrCode": 36069, "ErrClass": "sync-unit", …}`); DM v1.0 nests the same information under
/// `"error"` with class, scope and level as numbers and adds `Type` and `msg`
/// (dm-interface §4.1 and §6.2). Both are read into this one type so the daemon matches codes
/// (36069 "get binlog event error", 30044 "different server_id") the same way for every version.
public struct DMProcessError: Hashable, Sendable, CustomStringConvertible {
    /// DM's error code (`ErrCode`), e.g. 36069; `nil` when DM printed none (v1 errors without details).
    public var code: Int64?
    /// Error class: a name in v2+ ("sync-unit"), a number in v1.0.
    public var errorClass: DMErrorAttribute?
    /// Error scope: a name in v2+ ("upstream"), a number in v1.0.
    public var scope: DMErrorAttribute?
    /// Error level: a name in v2+ ("high"), a number in v1.0.
    public var level: DMErrorAttribute?
    /// DM's message, e.g. "get binlog event error: ERROR 1236 (HY000): …".
    public var message: String
    /// The underlying cause DM recorded, if any (MySQL's own error text lives here).
    public var rawCause: String?
    /// DM's suggested workaround, if any.
    public var workaround: String?
    /// v1.0 only: the error type ("ExecSQL", "CheckFailed", "UnknownError").
    public var type: String?

    public init(
        code: Int64?, errorClass: DMErrorAttribute? = nil, scope: DMErrorAttribute? = nil,
        level: DMErrorAttribute? = nil, message: String, rawCause: String? = nil,
        workaround: String? = nil, type: String? = nil
    ) {
        self.code = code
        self.errorClass = errorClass
        self.scope = scope
        self.level = level
        self.message = message
        self.rawCause = rawCause
        self.workaround = workaround
        self.type = type
    }

    /// Message and raw cause together: DM matches resumability on the raw cause's text, so
    /// anything that classifies an error must look at both.
    public var fullText: String {
        guard let rawCause, !rawCause.isEmpty, !message.contains(rawCause) else { return message }
        return message.isEmpty ? rawCause : "\(message): \(rawCause)"
    }

    public var description: String {
        let prefix = code.map { "[code=\($0)] " } ?? ""
        return prefix + fullText
    }
}

/// A class, scope or level of a `DMProcessError`: DM v2+ prints names, DM v1.0 numbers.
public enum DMErrorAttribute: Hashable, Sendable, CustomStringConvertible {
    case name(String)
    case number(Int64)

    public var description: String {
        switch self {
        case .name(let name): name
        case .number(let number): String(number)
        }
    }
}

extension DMProcessError {
    /// Reads one element of a `result.errors` list in either the v2+ or the v1.0 shape.
    static func parse(_ element: JSONCursor) throws(JSONShapeError) -> DMProcessError {
        if let nested = try element.optionalObject("error") {
            // v1.0: {"Type": …, "msg": …, "error": {"ErrCode": 1, "ErrClass": 2, …}}
            var error = try parseFlat(nested)
            error.type = try element.message("Type")
            if error.message.isEmpty, let legacy = try element.message("msg") {
                error.message = legacy
            }
            return error
        }
        let hasCode = try element.has("ErrCode")
        let hasMessage = try element.has("Message")
        if hasCode || hasMessage {
            return try parseFlat(element)
        }
        // v1.0 without details: {"Type": "UnknownError", "msg": "…", "error": null}
        return DMProcessError(
            code: nil, message: try element.message("msg") ?? "",
            type: try element.message("Type"))
    }

    private static func parseFlat(_ element: JSONCursor) throws(JSONShapeError) -> DMProcessError {
        DMProcessError(
            code: try element.optionalInteger("ErrCode"),
            errorClass: try attribute(element, "ErrClass"),
            scope: try attribute(element, "ErrScope"),
            level: try attribute(element, "ErrLevel"),
            message: try element.message("Message") ?? "",
            rawCause: try element.message("RawCause"),
            workaround: try element.message("Workaround"))
    }

    private static func attribute(_ element: JSONCursor, _ key: String) throws(JSONShapeError) -> DMErrorAttribute? {
        guard let child = try element.optional(key) else { return nil }
        switch child.value {
        case .string(let name): return name.isEmpty ? nil : .name(name)
        case .integer(let number): return .number(number)
        default: throw JSONShapeError(path: child.path, problem: "is \(child.value.kindName), not a name or a number")
        }
    }

    /// Reads a `ProcessResult` (`{"isCanceled", "errors", "detail"}`) or `null` into its errors.
    static func parseResult(_ result: JSONCursor?) throws(JSONShapeError) -> [DMProcessError] {
        guard let result else { return [] }
        var errors: [DMProcessError] = []
        for element in try result.array("errors") {
            errors.append(try parse(element))
        }
        return errors
    }
}
