import Testing

@testable import DM

@Suite("JSON parser")
struct JSONParserTests {
    @Test("Valid JSON decodes to the exact tree, keeping booleans and integers apart", arguments: [
        ("true", JSONValue.bool(true)),
        (" 1 ", .integer(1)),
        ("0", .integer(0)),
        ("-42", .integer(-42)),
        ("1.5", .number(1.5)),
        ("2e3", .number(2000)),
        ("11007177379717700053", .number(1.1007177379717699584e19)),
        ("null", .null),
        (#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#, .string("a\"b\\c/d\n\té😀")),
        (#""\ud800x""#, .string("\u{FFFD}x")),
        ("\"grüß\"", .string("grüß")),
        ("[]", .array([])),
        (#"{"a": [1, false, null], "b": {}}"#, .object(["a": .array([.integer(1), .bool(false), .null]), "b": .object([:])])),
        (#"{"a": 1, "a": 2}"#, .object(["a": .integer(2)])),
    ])
    func valid(text: String, expected: JSONValue) {
        #expect(JSONValue.decode(Substring(text)) == expected)
    }

    @Test("Invalid JSON is refused, never crashes", arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a: 1}", "tru", "nul", "01", "1.", "-", "1e", "\"abc",
        "\"a\u{01}b\"", "\"\\x\"", "\"\\u12\"", "[1 2]", "{} {}", "<html>", "{\"a\": 1,}", "'a'", "NaN",
    ])
    func invalid(text: String) {
        #expect(JSONValue.decode(Substring(text)) == nil)
    }

    @Test("Nesting deeper than the limit is refused instead of exhausting the stack")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(JSONValue.decode(Substring(deep)) == nil)
        let fine = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect(JSONValue.decode(Substring(fine)) != nil)
    }
}
