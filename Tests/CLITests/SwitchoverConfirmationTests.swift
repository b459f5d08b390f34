import Testing
@testable import dmswitchctl

/// The confirmation of a switchover on a terminal, driven in-process (a golden test cannot be a TTY).
@Suite("dmswitchctl switchover confirmation")
struct SwitchoverConfirmationTests {
    final class Asked: @unchecked Sendable { var questions: [String] = [] }

    func context(answer: String?, asked: Asked) -> CLIContext {
        CLIContext(
            environment: ["DMSWITCH_SOCKET": "/nonexistent/confirm.sock"], standardInputIsTerminal: true,
            ask: { question in
                asked.questions.append(question)
                return answer
            })
    }

    @Test("Anything but y or yes cancels without contacting the daemon", arguments: [nil, "", "n", "no", "later"] as [String?])
    func declined(answer: String?) {
        let asked = Asked()
        let result = DMSwitchCtl.run(["switchover", "orders", "--to", "db-c"], context: context(answer: answer, asked: asked))
        #expect(result == CLIResult(status: 1, stderr: "Switchover cancelled; nothing was changed.\n"))
        #expect(asked.questions == ["Switch DM's upstream for group orders to db-c? DM's tasks are paused meanwhile. [y/N] "])
    }

    @Test("y goes on to the daemon (here: unreachable, exit 69)", arguments: ["y", "YES", " yes "])
    func confirmed(answer: String) {
        let asked = Asked()
        let result = DMSwitchCtl.run(["switchover", "orders", "--to", "db-c"], context: context(answer: answer, asked: asked))
        #expect(result.status == 69)
        #expect(asked.questions.count == 1)
    }

    @Test("--yes does not ask")
    func yes() {
        let asked = Asked()
        let result = DMSwitchCtl.run(["switchover", "orders", "--to", "db-c", "--yes"], context: context(answer: "n", asked: asked))
        #expect(result.status == 69)
        #expect(asked.questions.isEmpty)
    }

    @Test("Durations read the way operators write them", arguments: [
        ("90", 90), ("45s", 45), ("30m", 1800), ("2h", 7200), ("1h30m", 5400), ("1d", 86400), ("1w2d", 777_600),
    ])
    func durations(text: String, seconds: Int) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test("Malformed durations are rejected", arguments: ["", "m", "10x", "1h30", "30m1h", "1.5h", "h1"])
    func badDurations(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }
}
