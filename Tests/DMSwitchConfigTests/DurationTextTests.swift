import DMSwitchConfig
import Testing

@Suite("Durations written with units")
struct DurationTextTests {
    static let valid: [(String, Duration)] = [
        ("500ms", .milliseconds(500)),
        ("3s", .seconds(3)),
        ("1m", .seconds(60)),
        ("1h", .seconds(3600)),
        ("1m30s", .seconds(90)),
        ("1h2m3s4ms", .milliseconds(3_723_004)),
        ("1s500ms", .milliseconds(1500)),
        ("0s", .zero),
        ("90s", .seconds(90)),
        ("36h", .seconds(129_600)),
    ]

    @Test("Valid durations parse to the right length", arguments: valid)
    func parses(_ text: String, _ expected: Duration) throws {
        #expect(try DurationText.parse(text) == expected)
    }

    static let invalid: [(String, String)] = [
        ("", #"an empty string is not a duration; write a number and a unit, e.g. "1s""#),
        ("5", #""5" has no unit; write e.g. "5s" (units: h, m, s, ms)"#),
        ("5x", #""5x" has an unknown unit "x"; use h, m, s or ms"#),
        ("2d", #""2d" has an unknown unit "d"; use h, m, s or ms"#),
        ("10us", #""10us" has an unknown unit "us"; use h, m, s or ms"#),
        ("1.5s", #""1.5s" has a fraction; combine units instead, e.g. "1s500ms""#),
        ("-1s", #""-1s" is not a duration: durations have no sign; write e.g. "1s""#),
        ("30s1m", #"units in "30s1m" must go from the largest to the smallest, each at most once, e.g. "1m30s""#),
        ("1s1s", #"units in "1s1s" must go from the largest to the smallest, each at most once, e.g. "1m30s""#),
        ("1 s", #""1 s" is not a duration; write a number and a unit, e.g. "1s" or "1m30s""#),
        ("s", #""s" is not a duration; write a number and a unit, e.g. "1s" or "1m30s""#),
        ("99999999999999999999h", #""99999999999999999999h" is too long a duration"#),
        ("9999999999999999h", #""9999999999999999h" is too long a duration"#),
    ]

    @Test("Invalid durations say what is wrong with them", arguments: invalid)
    func rejects(_ text: String, _ reason: String) {
        #expect(throws: ValueParseError(text: text, reason: reason)) {
            try DurationText.parse(text)
        }
    }

    @Test("Formatting gives the shortest text that parses back", arguments: [
        "500ms", "3s", "1m", "1h", "1m30s", "1h2m3s4ms", "0s", "1s500ms",
    ])
    func roundTrip(_ text: String) throws {
        #expect(DurationText.format(try DurationText.parse(text)) == text)
    }

    @Test("Formatting normalizes a long unit count")
    func normalizes() {
        #expect(DurationText.format(.seconds(90)) == "1m30s")
        #expect(DurationText.format(.milliseconds(1500)) == "1s500ms")
    }
}
