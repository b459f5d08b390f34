/// The grammar of MySQL GTID set text (MySQL manual, "GTID Format and Storage";
/// tags since 8.3/8.4):
///
///     set      := "" | entry ("," entry)*
///     entry    := uuid ":" element (":" element)*
///     element  := interval | tag ":" interval
///     interval := number | number "-" number      (1 ≤ start ≤ end ≤ 2^63-1)
///     tag      := [a-z_][a-z0-9_]{0,31}            (case-insensitive, stored lowercase)
///
/// Whitespace is allowed around every token.
enum GTIDSetParser {
    /// MySQL's largest transaction number (GNO_END - 1).
    static let largestTransaction = UInt64(Int64.max)

    static func parse(_ text: String) throws(GTIDParseError) -> GTIDSet {
        var cursor = TextCursor(text)
        var origins: [GTIDSet.Origin: IntervalSet] = [:]
        cursor.skipWhitespace()
        if cursor.atEnd { return GTIDSet() }
        while true {
            let uuid = try parseUUID(&cursor)
            cursor.skipWhitespace()
            try cursor.expect(UInt8(ascii: ":"), "':' after the server UUID")
            var tag = ""
            repeat {
                cursor.skipWhitespace()
                guard let byte = cursor.current else { throw cursor.error("a transaction number or a tag") }
                if isTagStart(byte) {
                    tag = try parseTag(&cursor)
                    cursor.skipWhitespace()
                    try cursor.expect(UInt8(ascii: ":"), "':' after the tag \"\(tag)\"")
                    cursor.skipWhitespace()
                    guard let next = cursor.current, TextCursor.isDigit(next) else {
                        throw cursor.error("a transaction number after the tag \"\(tag)\"")
                    }
                } else if !TextCursor.isDigit(byte) {
                    throw cursor.error("a transaction number or a tag")
                }
                let interval = try parseInterval(&cursor)
                origins[GTIDSet.Origin(uuid: uuid, tag: tag), default: IntervalSet()].insert(interval)
                cursor.skipWhitespace()
            } while cursor.consume(UInt8(ascii: ":"))
            cursor.skipWhitespace()
            if cursor.atEnd { break }
            try cursor.expect(UInt8(ascii: ","), "',' between server UUIDs, ':' before more intervals, or the end")
            cursor.skipWhitespace()
        }
        return GTIDSet(origins: origins)
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hex in any case, returned lowercase.
    private static func parseUUID(_ cursor: inout TextCursor) throws(GTIDParseError) -> String {
        let start = cursor.offset
        var uuid: [UInt8] = []
        for (index, length) in [8, 4, 4, 4, 12].enumerated() {
            if index > 0 {
                guard cursor.consume(UInt8(ascii: "-")) else {
                    throw cursor.error("'-' in the server UUID")
                }
                uuid.append(UInt8(ascii: "-"))
            }
            for _ in 0..<length {
                guard let byte = cursor.current, TextCursor.isHexDigit(byte) else {
                    throw cursor.error(cursor.offset == start ? "a server UUID" : "a hexadecimal digit in the server UUID")
                }
                uuid.append(byte >= 0x41 && byte <= 0x46 ? byte + 0x20 : byte)
                _ = cursor.consume(byte)
            }
        }
        return String(decoding: uuid, as: UTF8.self)
    }

    private static func parseInterval(_ cursor: inout TextCursor) throws(GTIDParseError) -> ClosedRange<UInt64> {
        let start = cursor.offset
        let lower = try cursor.number("a transaction number", limit: largestTransaction)
        guard lower >= 1 else { throw cursor.error("a transaction number of at least 1", at: start) }
        cursor.skipWhitespace()
        guard cursor.consume(UInt8(ascii: "-")) else { return lower...lower }
        cursor.skipWhitespace()
        let endOffset = cursor.offset
        let upper = try cursor.number("the end of the interval", limit: largestTransaction)
        guard upper >= lower else {
            throw cursor.error("an interval end not below its start \(lower)", at: endOffset)
        }
        return lower...upper
    }

    private static func isTagStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
    }

    private static func parseTag(_ cursor: inout TextCursor) throws(GTIDParseError) -> String {
        let start = cursor.offset
        var tag: [UInt8] = []
        while let byte = cursor.current, isTagStart(byte) || TextCursor.isDigit(byte) {
            tag.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            _ = cursor.consume(byte)
        }
        guard tag.count <= 32 else { throw cursor.error("a tag of at most 32 characters", at: start) }
        return String(decoding: tag, as: UTF8.self)
    }
}
