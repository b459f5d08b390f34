/// Values: strings, integers, booleans and arrays, and clear refusals for the rest of TOML.
extension TOMLParser {
    /// Parses the value at the cursor; `key` names it in messages.
    mutating func parseValue(key: String, depth: Int) throws(TOMLSyntaxError) -> TOMLNode {
        let location = cursor.location
        let quotedKey = TOMLKey.quoted(key)
        switch cursor.peek() {
        case "\"", "'":
            let quote = cursor.peek()
            if cursor.peek(1) == quote, cursor.peek(2) == quote {
                throw TOMLSyntaxError(
                    location: location,
                    message: "multi-line strings are not supported (key \(quotedKey)); write the string on one line")
            }
            return TOMLNode(value: .string(try parseString()), location: location)
        case "[":
            return try parseArray(key: key, depth: depth)
        case "{":
            throw TOMLSyntaxError(
                location: location,
                message: "inline tables are not supported (key \(quotedKey)); use a [table] header")
        default:
            let token = readToken()
            guard !token.isEmpty else {
                throw TOMLSyntaxError(
                    location: location,
                    message: "expected a value for key \(quotedKey), found \(cursor.currentDescription)")
            }
            return TOMLNode(value: try Self.classify(token, key: key, at: location), location: location)
        }
    }

    /// The run of characters up to the next separator: a number, `true`, or an unquoted word.
    private mutating func readToken() -> String {
        var token = ""
        while let scalar = cursor.peek(), !Self.endsToken(scalar) {
            token.unicodeScalars.append(scalar)
            cursor.advance()
        }
        return token
    }

    private static func endsToken(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\r", ",", "[", "]", "{", "}", "#", "=", "\"", "'": true
        default: false
        }
    }

    /// Turns an unquoted token into a boolean or an integer, or says why it is neither.
    private static func classify(_ token: String, key: String, at location: SourceLocation) throws(TOMLSyntaxError) -> TOMLValue {
        let quotedKey = TOMLKey.quoted(key)
        func failure(_ message: String) -> TOMLSyntaxError {
            TOMLSyntaxError(location: location, message: message)
        }
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf", "-inf", "nan", "+nan", "-nan":
            throw failure("floating-point numbers are not supported: \(token) for key \(quotedKey)")
        default: break
        }
        if token.lowercased() == "true" || token.lowercased() == "false" {
            throw failure("invalid value \(token) for key \(quotedKey); booleans are written true or false")
        }
        let body = token.hasPrefix("+") || token.hasPrefix("-") ? String(token.dropFirst()) : token
        if body.hasPrefix("0x") || body.hasPrefix("0o") || body.hasPrefix("0b") {
            throw failure(
                "hexadecimal, octal and binary integers are not supported: \(token) for key \(quotedKey); "
                    + "write the number in decimal")
        }
        if looksLikeDateOrTime(body) {
            throw failure("dates and times are not supported: \(token) for key \(quotedKey)")
        }
        if looksLikeFloat(body) {
            throw failure("floating-point numbers are not supported: \(token) for key \(quotedKey)")
        }
        guard let first = body.unicodeScalars.first, isDigit(first),
            body.unicodeScalars.allSatisfy({ isDigit($0) || $0 == "_" })
        else {
            throw failure("invalid value \(token) for key \(quotedKey); strings must be in quotes, e.g. \"\(token)\"")
        }
        return .integer(try integer(token, body: body, key: key, at: location))
    }

    /// A decimal integer with optional sign and `_` between digits, as TOML writes them.
    private static func integer(
        _ token: String, body: String, key: String, at location: SourceLocation
    ) throws(TOMLSyntaxError) -> Int64 {
        let quotedKey = TOMLKey.quoted(key)
        let scalars = Array(body.unicodeScalars)
        for (offset, scalar) in scalars.enumerated() where scalar == "_" {
            let before = offset > 0 ? scalars[offset - 1] : nil
            let after = offset + 1 < scalars.count ? scalars[offset + 1] : nil
            guard let before, let after, isDigit(before), isDigit(after) else {
                throw TOMLSyntaxError(
                    location: location,
                    message: "'_' in the integer \(token) for key \(quotedKey) must be between two digits")
            }
        }
        let digits = body.filter { $0 != "_" }
        if digits.count > 1, digits.hasPrefix("0") {
            throw TOMLSyntaxError(
                location: location, message: "leading zeros are not allowed in the integer \(token) for key \(quotedKey)")
        }
        guard let value = Int64((token.hasPrefix("-") ? "-" : "") + digits) else {
            throw TOMLSyntaxError(
                location: location, message: "the integer \(token) for key \(quotedKey) does not fit in 64 bits")
        }
        return value
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar >= "0" && scalar <= "9"
    }

    /// `1979-05-27`, `07:32:00`: TOML dates and times start with 4 digits and '-', or 2 digits and ':'.
    private static func looksLikeDateOrTime(_ body: String) -> Bool {
        let scalars = Array(body.unicodeScalars)
        func digits(_ count: Int) -> Bool {
            scalars.count > count && scalars[..<count].allSatisfy(isDigit)
        }
        return (digits(4) && scalars[4] == "-") || (digits(2) && scalars[2] == ":")
    }

    /// Digits with a fraction and/or an exponent: `1.5`, `1e3`, `2.5E-3`, `.5`.
    private static func looksLikeFloat(_ body: String) -> Bool {
        let scalars = Array(body.unicodeScalars)
        guard let first = scalars.first, isDigit(first) || first == "." else { return false }
        var sawMark = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isDigit(scalar) || scalar == "_" {
                index += 1
            } else if scalar == "." {
                sawMark = true
                index += 1
            } else if scalar == "e" || scalar == "E" {
                sawMark = true
                index += 1
                if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
                    index += 1
                }
                guard index < scalars.count, scalars[index...].allSatisfy({ isDigit($0) || $0 == "_" }) else {
                    return false
                }
                return true
            } else {
                return false
            }
        }
        return sawMark
    }

    // MARK: Strings

    /// A single-line string at the cursor, which stands on its opening quote: basic
    /// (`"..."`, with TOML's escapes) or literal (`'...'`, no escapes at all).
    mutating func parseString() throws(TOMLSyntaxError) -> String {
        let quote = cursor.peek()
        let closing = quote == "'" ? "\"'\"" : "'\"'"
        cursor.advance()
        var text = ""
        while true {
            guard let scalar = cursor.peek(), scalar != "\n", scalar != "\r" else {
                throw TOMLSyntaxError(
                    location: cursor.location, message: "unterminated string: expected a closing \(closing) on the same line")
            }
            if scalar == quote {
                cursor.advance()
                return text
            }
            if scalar == "\\", quote == "\"" {
                text.unicodeScalars.append(try parseEscape())
                continue
            }
            try rejectControl(scalar)
            text.unicodeScalars.append(scalar)
            cursor.advance()
        }
    }

    private func rejectControl(_ scalar: Unicode.Scalar) throws(TOMLSyntaxError) {
        if TOMLCursor.isForbiddenControl(scalar) {
            throw TOMLSyntaxError(
                location: cursor.location,
                message: "control character \(TOMLCursor.codePoint(scalar)) is not allowed in a string")
        }
    }

    /// One escape after a backslash: `\" \\ \b \f \n \r \t \uXXXX \UXXXXXXXX`.
    private mutating func parseEscape() throws(TOMLSyntaxError) -> Unicode.Scalar {
        let location = cursor.location
        cursor.advance()
        guard let letter = cursor.peek(), letter != "\n", letter != "\r" else {
            throw TOMLSyntaxError(
                location: location, message: "unterminated string: expected a closing '\"' on the same line")
        }
        cursor.advance()
        switch letter {
        case "\"": return "\""
        case "\\": return "\\"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "u": return try parseUnicodeEscape(digits: 4, letter: "u", at: location)
        case "U": return try parseUnicodeEscape(digits: 8, letter: "U", at: location)
        default:
            throw TOMLSyntaxError(
                location: location,
                message: "invalid escape sequence '\\\(letter)' in a string; "
                    + "use \\\" \\\\ \\b \\f \\n \\r \\t \\uXXXX or \\UXXXXXXXX")
        }
    }

    private mutating func parseUnicodeEscape(
        digits count: Int, letter: Character, at location: SourceLocation
    ) throws(TOMLSyntaxError) -> Unicode.Scalar {
        var hex = ""
        for _ in 0..<count {
            guard let scalar = cursor.peek(), scalar.properties.isASCIIHexDigit else {
                throw TOMLSyntaxError(
                    location: location, message: "'\\\(letter)' must be followed by \(count) hexadecimal digits")
            }
            hex.unicodeScalars.append(scalar)
            cursor.advance()
        }
        guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
            throw TOMLSyntaxError(
                location: location, message: "'\\\(letter)\(hex)' is not a Unicode scalar value")
        }
        return scalar
    }

    // MARK: Arrays

    /// `[a, b, ...]`, over several lines if need be, with comments and a trailing comma.
    private mutating func parseArray(key: String, depth: Int) throws(TOMLSyntaxError) -> TOMLNode {
        let location = cursor.location
        let quotedKey = TOMLKey.quoted(key)
        guard depth < Self.maximumArrayDepth else {
            throw TOMLSyntaxError(
                location: location,
                message: "arrays nested deeper than \(Self.maximumArrayDepth) levels are not supported (key \(quotedKey))")
        }
        let unterminated = "unterminated array for key \(quotedKey) opened at line \(location.line): expected ']'"
        cursor.advance()
        var elements: [TOMLNode] = []
        while true {
            let startsLine = try skipArrayTrivia()
            guard let scalar = cursor.peek() else {
                throw TOMLSyntaxError(location: cursor.location, message: unterminated)
            }
            if scalar == "]" {
                cursor.advance()
                return TOMLNode(value: .array(elements), location: location)
            }
            // A `key =` or `[table]` line inside an array means its ']' was forgotten.
            if startsLine, lineStartsStatement() {
                throw TOMLSyntaxError(location: cursor.location, message: unterminated)
            }
            elements.append(try parseValue(key: key, depth: depth + 1))
            _ = try skipArrayTrivia()
            switch cursor.peek() {
            case ",":
                cursor.advance()
            case "]":
                cursor.advance()
                return TOMLNode(value: .array(elements), location: location)
            case nil:
                throw TOMLSyntaxError(location: cursor.location, message: unterminated)
            default:
                throw TOMLSyntaxError(
                    location: cursor.location,
                    message: "expected ',' or ']' after an element of the array for key \(quotedKey), "
                        + "found \(cursor.currentDescription)")
            }
        }
    }

    /// Skips spaces, newlines and comments between array elements; returns whether the
    /// cursor now stands first on a line.
    private mutating func skipArrayTrivia() throws(TOMLSyntaxError) -> Bool {
        var crossedLine = false
        while let scalar = cursor.peek() {
            switch scalar {
            case " ", "\t":
                cursor.advance()
            case "\n", "\r":
                try cursor.consumeNewline()
                crossedLine = true
            case "#":
                try cursor.skipComment()
            default:
                return crossedLine
            }
        }
        return crossedLine
    }
}
