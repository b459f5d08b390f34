/// A byte cursor over GTID text, shared by the MySQL and MariaDB parsers.
///
/// GTID syntax is pure ASCII, so bytes are the natural unit and offsets in
/// errors are byte offsets.
struct TextCursor {
    let text: String
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    var atEnd: Bool { offset >= bytes.count }
    var current: UInt8? { atEnd ? nil : bytes[offset] }

    func error(_ expected: String, at position: Int? = nil) -> GTIDParseError {
        GTIDParseError(text: text, offset: position ?? offset, expected: expected)
    }

    /// Skips spaces, tabs and line breaks: servers print `,\n` between sets
    /// and operators paste sets across lines.
    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            offset += 1
        }
    }

    /// Consumes `byte` if it comes next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        offset += 1
        return true
    }

    mutating func expect(_ byte: UInt8, _ expected: String) throws(GTIDParseError) {
        guard consume(byte) else { throw error(expected) }
    }

    /// A decimal number that fits `limit`; `what` names it in errors.
    mutating func number(_ what: String, limit: UInt64) throws(GTIDParseError) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        while let byte = current, byte >= 0x30 && byte <= 0x39 {
            let digit = UInt64(byte - 0x30)
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2, sum <= limit else {
                throw error("\(what) no larger than \(limit)", at: start)
            }
            value = sum
            offset += 1
        }
        guard offset > start else { throw error(what) }
        return value
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
