/// GTID text that could not be parsed: where, and what was expected there.
///
/// GTID sets reach dmswitch from servers, from DM's query-status and from
/// operators typing them; a clear offset saves a 3 a.m. squint at a 2 KB set.
public struct GTIDParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The whole text that was being parsed.
    public let text: String
    /// Byte offset (0-based) of the first character that did not fit.
    public let offset: Int
    /// What the parser expected at `offset`, as a phrase.
    public let expected: String

    public init(text: String, offset: Int, expected: String) {
        self.text = text
        self.offset = offset
        self.expected = expected
    }

    public var description: String {
        let bytes = Array(text.utf8)
        let found: String
        if offset >= bytes.count {
            found = "the end of the text"
        } else {
            let end = min(bytes.count, offset + 12)
            found = "\"\(String(decoding: bytes[offset..<end], as: UTF8.self))\(end < bytes.count ? "…" : "")\""
        }
        return "Malformed GTID text at offset \(offset): expected \(expected), found \(found)."
    }
}
