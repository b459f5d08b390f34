import DMSwitchLog
import Testing

@Suite("Event lines: a sentence, then key=value")
struct LogLineTests {
    @Test("Values are quoted only when needed, and escaped so one event stays one line", arguments: [
        ("orders", "orders"),
        ("db-a:3306", "db-a:3306"),
        ("two words", "\"two words\""),
        ("", "\"\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("a=b", "\"a=b\""),
        ("back\\slash", "\"back\\\\slash\""),
        ("line1\nline2", "\"line1\\nline2\""),
        ("tab\there", "\"tab\\there\""),
        ("bell\u{07}", "\"bell\\x07\""),
        ("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"),
        ("grüße", "grüße"),
    ])
    func values(value: String, rendered: String) {
        let line = LogLine.render("Event", context: [(key: "k", value: LogValue(value))])
        #expect(line == "Event k=\(rendered)")
    }

    @Test("The full line for a switch reads as a sentence with its context")
    func switchLine() {
        let line = LogLine.render(
            "Switched DM to a new upstream",
            context: [(key: "group", value: "orders"), (key: "run", value: "r-7"), (key: "from", value: "db-a"), (key: "to", value: "db-b")])
        #expect(line == "Switched DM to a new upstream group=orders run=r-7 from=db-a to=db-b")
    }

    @Test("Newlines in the sentence are escaped too")
    func sentenceNewline() {
        #expect(LogLine.render("dmctl said:\nboom", context: []) == "dmctl said:\\nboom")
    }

    @Test("Passwords never appear: keys naming secrets and redacted values print [redacted]", arguments: [
        "password", "dm_password", "Source.Password", "passwd", "api_token", "secret",
    ])
    func secretKeys(key: String) {
        let line = LogLine.render("Connected", context: [(key: key, value: "hunter2")])
        #expect(!line.contains("hunter2"))
        #expect(line.hasSuffix("=[redacted]"))
    }

    @Test("A value marked redacted is hidden whatever its key")
    func redactedValue() {
        #expect(LogLine.render("Ran hook", context: [(key: "env", value: .redacted)]) == "Ran hook env=[redacted]")
    }

    @Test("Keys are reduced to safe characters")
    func keys() {
        #expect(LogLine.render("E", context: [(key: "a key=x", value: "1"), (key: "", value: "2")]) == "E a_key_x=1 _=2")
    }

    @Test("Literals of several kinds are accepted as values")
    func literals() {
        let context: [(key: String, value: LogValue)] = [
            (key: "n", value: 3), (key: "ok", value: true), (key: "up", value: LogValue(optional: nil as String?)),
            (key: "d", value: "\(2 + 2)s"),
        ]
        #expect(LogLine.render("E", context: context) == "E n=3 ok=true up=- d=4s")
    }
}
