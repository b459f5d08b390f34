import Testing

@testable import DMSwitchConfig

@Suite("TOML subset parser")
struct TOMLParserTests {
    private func parse(_ text: String) throws -> TOMLTable {
        let result = TOMLParser.parse(text)
        #expect(result.errors.isEmpty, "unexpected errors: \(result.errors)")
        return result.root
    }

    private func value(_ table: TOMLTable, _ key: String) -> TOMLValue? {
        table.entry(key)?.node.value
    }

    @Test("Scalars: basic and literal strings with escapes, integers with signs and separators, booleans")
    func scalars() throws {
        let root = try parse(#"""
            basic = "tab\there \"q\" back\\slash \u00e9 \U0001F600 nl\n"
            literal = 'C:\path\no-escape'
            empty = ""
            big = 1_000_000
            negative = -42
            positive = +7
            zero = 0
            yes = true
            no = false
            """#)
        guard case .string(let basic)? = value(root, "basic") else { Issue.record("basic"); return }
        #expect(basic == "tab\there \"q\" back\\slash é 😀 nl\n")
        guard case .string(let literal)? = value(root, "literal") else { Issue.record("literal"); return }
        #expect(literal == #"C:\path\no-escape"#)
        guard case .integer(let big)? = value(root, "big"), case .integer(let negative)? = value(root, "negative"),
            case .integer(let positive)? = value(root, "positive"), case .integer(let zero)? = value(root, "zero")
        else { Issue.record("integers"); return }
        #expect([big, negative, positive, zero] == [1_000_000, -42, 7, 0])
        guard case .boolean(true)? = value(root, "yes"), case .boolean(false)? = value(root, "no") else {
            Issue.record("booleans"); return
        }
    }

    @Test("Multi-line arrays allow comments, blank lines and a trailing comma")
    func multiLineArray() throws {
        let root = try parse("""
            list = [
              "a",   # first

              # a comment line
              "b",
            ]
            nested = [[1, 2], [3]]
            empty = [ ]
            """)
        guard case .array(let list)? = value(root, "list") else { Issue.record("list"); return }
        let strings = list.compactMap { node -> String? in
            if case .string(let text) = node.value { return text }
            return nil
        }
        #expect(strings == ["a", "b"])
        #expect(list.map(\.location) == [SourceLocation(line: 2, column: 3), SourceLocation(line: 5, column: 3)])
        guard case .array(let nested)? = value(root, "nested"), case .array(let empty)? = value(root, "empty") else {
            Issue.record("arrays"); return
        }
        #expect(nested.count == 2)
        #expect(empty.isEmpty)
    }

    @Test("Tables, dotted headers, arrays of tables and sub-arrays land where TOML says")
    func tableStructure() throws {
        let root = try parse("""
            [daemon]
            node-name = "n1"

            [a.b.c]
            x = 1

            [[group]]
            source-id = "one"
            [[group.instance]]
            address = "h1:1"
            [[group.instance]]
            address = "h2:1"

            [[group]]
            source-id = "two"
            [group.extra]
            y = 2

            [a]
            z = 3
            """)
        #expect(root.entries.map(\.key) == ["daemon", "a", "group"])
        guard case .tableArray(let groups)? = value(root, "group") else { Issue.record("group"); return }
        #expect(groups.count == 2)
        #expect(groups[0].headerLocation == SourceLocation(line: 7, column: 1))
        guard case .tableArray(let instances)? = groups[0].entry("instance")?.node.value else {
            Issue.record("instances"); return
        }
        #expect(instances.count == 2)
        #expect(instances[1].name == "group.instance")
        // `[group.extra]` after the second `[[group]]` belongs to that element.
        #expect(groups[1].entry("extra") != nil)
        #expect(groups[0].entry("extra") == nil)
        guard case .table(let a)? = value(root, "a") else { Issue.record("a"); return }
        #expect(a.entries.map(\.key) == ["b", "z"])
    }

    @Test("Quoted keys, CRLF line endings, a byte order mark and comments after values are accepted")
    func lexicalDetails() throws {
        let root = try parse("\u{FEFF}# head\r\n\"quoted key\" = 1 # after\r\n'lit' = 2\r\n[ spaced . header ]\r\nk = 3\r\n")
        #expect(root.entries.map(\.key) == ["quoted key", "lit", "spaced"])
        #expect(root.entry("quoted key")?.keyLocation == SourceLocation(line: 2, column: 1))
    }

    /// One malformed document and the single problem it must produce.
    struct Malformed: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: String
        var testDescription: String { expected }

        init(_ text: String, _ expected: String) {
            self.text = text
            self.expected = expected
        }
    }

    static let malformed: [Malformed] = [
        Malformed(#"interval "1s""#, #"1:10: expected '=' after key "interval""#),
        Malformed("interval =", #"1:11: expected a value after '=' for key "interval""#),
        Malformed("interval = # none", #"1:12: expected a value after '=' for key "interval""#),
        Malformed(#"name = "abc"#, #"1:12: unterminated string: expected a closing '"' on the same line"#),
        Malformed("name = 'abc", #"1:12: unterminated string: expected a closing "'" on the same line"#),
        Malformed(#"name = "a\qb""#,
                  #"1:10: invalid escape sequence '\q' in a string; use \" \\ \b \f \n \r \t \uXXXX or \UXXXXXXXX"#),
        Malformed(#"name = "\u12""#, #"1:9: '\u' must be followed by 4 hexadecimal digits"#),
        Malformed(#"name = "\uD800""#, #"1:9: '\uD800' is not a Unicode scalar value"#),
        Malformed("name = \"a\u{7}b\"", "1:10: control character U+0007 is not allowed in a string"),
        Malformed(#"name = """x""""#,
                  #"1:8: multi-line strings are not supported (key "name"); write the string on one line"#),
        Malformed("name = '''x'''",
                  #"1:8: multi-line strings are not supported (key "name"); write the string on one line"#),
        Malformed("ratio = 1.5", #"1:9: floating-point numbers are not supported: 1.5 for key "ratio""#),
        Malformed("ratio = 1e3", #"1:9: floating-point numbers are not supported: 1e3 for key "ratio""#),
        Malformed("ratio = -inf", #"1:9: floating-point numbers are not supported: -inf for key "ratio""#),
        Malformed("when = 1979-05-27", #"1:8: dates and times are not supported: 1979-05-27 for key "when""#),
        Malformed("when = 07:32:00", #"1:8: dates and times are not supported: 07:32:00 for key "when""#),
        Malformed("point = { x = 1 }", #"1:9: inline tables are not supported (key "point"); use a [table] header"#),
        Malformed("mask = 0x1F",
                  #"1:8: hexadecimal, octal and binary integers are not supported: 0x1F for key "mask"; write the number in decimal"#),
        Malformed("count = 007", #"1:9: leading zeros are not allowed in the integer 007 for key "count""#),
        Malformed("count = 1__000", #"1:9: '_' in the integer 1__000 for key "count" must be between two digits"#),
        Malformed("count = 1000_", #"1:9: '_' in the integer 1000_ for key "count" must be between two digits"#),
        Malformed("count = 99999999999999999999",
                  #"1:9: the integer 99999999999999999999 for key "count" does not fit in 64 bits"#),
        Malformed("count = 1 2", #"1:11: expected the end of the line after the value of key "count", found '2'"#),
        Malformed("scenario = vip", #"1:12: invalid value vip for key "scenario"; strings must be in quotes, e.g. "vip""#),
        Malformed("interval = 1s", #"1:12: invalid value 1s for key "interval"; strings must be in quotes, e.g. "1s""#),
        Malformed("automatic = True", #"1:13: invalid value True for key "automatic"; booleans are written true or false"#),
        Malformed("[detection", #"1:11: expected ']' after the table name "detection", found the end of the file"#),
        Malformed("[detection] x", #"1:13: expected the end of the line after the table header [detection], found 'x'"#),
        Malformed("[[group]\n", #"1:8: expected ']]' after the table name "group", found ']'"#),
        Malformed("[]", "1:2: expected a table name in the header, found ']'"),
        Malformed("[a.]", "1:4: expected a key after '.', found ']'"),
        Malformed("= 1", "1:1: expected a key or a [table] header, found '='"),
        Malformed("a = 1\na = 2", #"2:1: duplicate key "a" at the top level; it was first set at line 1"#),
        Malformed("[t]\n\"a\" = 1\n'a' = 2", #"3:1: duplicate key "a" in [t]; it was first set at line 2"#),
        Malformed("[t]\n[t]", "2:1: duplicate table [t]; it was first defined at line 1"),
        Malformed("[[g]]\n[g]", "2:1: cannot define [g] as a table: it is already an array of tables ([[g]]) from line 1"),
        Malformed("[d]\n[[d]]", "2:1: cannot define [[d]] as an array of tables: [d] is already a table (line 1)"),
        Malformed("a = 1\n[a.b]", #"2:2: "a" is not a table: it was set to a value at line 1"#),
        Malformed("a = 1\n[a]", #"2:1: cannot define [a]: "a" was set to a value at line 1"#),
        Malformed("[a.b]\n[a]\nb = 1", #"3:1: key "b" in [a] conflicts with the table [a.b] at line 1"#),
        Malformed(#"detection.interval = "1s""#,
                  #"1:1: dotted key "detection.interval" is not supported; write "interval" under a [detection] header"#),
        Malformed("a = [1, 2", #"1:10: unterminated array for key "a" opened at line 1: expected ']'"#),
        Malformed("a = [1 2]", #"1:8: expected ',' or ']' after an element of the array for key "a", found '2'"#),
        Malformed("a = [1,,2]", #"1:8: expected a value for key "a", found ','"#),
        Malformed("master-addr = [\n  \"h:1\",\n[detection]\ninterval = \"1s\"",
                  #"3:1: unterminated array for key "master-addr" opened at line 1: expected ']'"#),
        Malformed("a = " + String(repeating: "[", count: 40),
                  #"1:37: arrays nested deeper than 32 levels are not supported (key "a")"#),
        Malformed("a = 1\r", "1:6: a carriage return must be followed by a line feed"),
        Malformed("a = 1 # bell \u{7}", "1:14: control character U+0007 is not allowed in a comment"),
    ]

    @Test("Malformed input is one problem naming line, column and what was expected", arguments: malformed)
    func malformedInput(_ example: Malformed) {
        let errors = TOMLParser.parse(example.text).errors
        #expect(errors.map { "\($0.location): \($0.message)" } == [example.expected])
    }

    @Test("After a broken line the parser goes on and reports every broken line once")
    func recovery() {
        let result = TOMLParser.parse("""
            a = 1 2
            b = "x
            list = [
              "ok",
              oops,
              "more",
            ]
            [c
            d = 4
            """)
        #expect(result.errors.map(\.location.line) == [1, 2, 5, 8])
        #expect(result.root.entry("d") != nil)
    }

    @Test("The header that reveals a missing ']' is still read, so later keys land in its table")
    func recoveryKeepsHeader() {
        let result = TOMLParser.parse("""
            list = [
              "a",
            [detection]
            interval = "1s"
            interval = "2s"
            """)
        #expect(result.errors.map { "\($0.location): \($0.message)" } == [
            #"3:1: unterminated array for key "list" opened at line 1: expected ']'"#,
            #"5:1: duplicate key "interval" in [detection]; it was first set at line 4"#,
        ])
    }
}
