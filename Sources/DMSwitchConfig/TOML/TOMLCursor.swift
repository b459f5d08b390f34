/// A position in the text being parsed, with line bookkeeping for locations.
///
/// The text is held as Unicode scalars so columns count what an editor shows and the parser
/// can index freely; configuration files are small.
struct TOMLCursor {
    let scalars: [Unicode.Scalar]
    private(set) var index = 0
    private(set) var line = 1
    private var lineStart = 0

    init(_ text: String) {
        var scalars = Array(text.unicodeScalars)
        // A UTF-8 byte order mark some editors write is not part of the content.
        if scalars.first == "\u{FEFF}" {
            scalars.removeFirst()
        }
        self.scalars = scalars
    }

    var isAtEnd: Bool { index >= scalars.count }

    var location: SourceLocation {
        SourceLocation(line: line, column: index - lineStart + 1)
    }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let position = index + offset
        return position < scalars.count ? scalars[position] : nil
    }

    mutating func advance() {
        guard index < scalars.count else { return }
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" {
            line += 1
            lineStart = index
        }
    }

    /// Skips spaces and tabs, TOML's only whitespace inside a line.
    mutating func skipSpaces() {
        while let scalar = peek(), scalar == " " || scalar == "\t" {
            advance()
        }
    }

    /// True when only spaces and tabs stand between the start of the line and the cursor.
    var isAtLineStart: Bool {
        scalars[lineStart..<index].allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// True at a newline, a comment, or the end of the text.
    var isAtLineEnd: Bool {
        guard let scalar = peek() else { return true }
        return scalar == "\n" || scalar == "\r" || scalar == "#"
    }

    /// Consumes one newline (LF or CRLF).
    mutating func consumeNewline() throws(TOMLSyntaxError) {
        if peek() == "\r" {
            guard peek(1) == "\n" else {
                throw TOMLSyntaxError(
                    location: location,
                    message: "a carriage return must be followed by a line feed")
            }
            advance()
        }
        advance()
    }

    /// Consumes a `#` comment up to (not including) the newline. TOML forbids control
    /// characters other than tab in comments.
    mutating func skipComment() throws(TOMLSyntaxError) {
        advance()
        while let scalar = peek(), scalar != "\n", scalar != "\r" {
            if Self.isForbiddenControl(scalar) {
                throw TOMLSyntaxError(
                    location: location,
                    message: "control character \(Self.codePoint(scalar)) is not allowed in a comment")
            }
            advance()
        }
    }

    /// Moves to the start of the next line (or the end of the text).
    mutating func skipRestOfLine() {
        while let scalar = peek(), scalar != "\n" {
            advance()
        }
        advance()
    }

    /// How the scalar at the cursor reads in a message ("'x'", "the end of the line").
    var currentDescription: String {
        guard let scalar = peek() else { return "the end of the file" }
        if scalar == "\n" || scalar == "\r" { return "the end of the line" }
        if Self.isForbiddenControl(scalar) || scalar == "\t" { return Self.codePoint(scalar) }
        return "'\(scalar)'"
    }

    /// Control characters TOML does not allow unescaped (everything below space but tab, and DEL).
    static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
    }

    /// `U+0007`.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
