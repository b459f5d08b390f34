import Sandbox
import Synchronization

/// Comments on dmswitchd's lines as they arrive: phase titles, timings, and
/// plain sentences, printed around the daemon's own line so the order on the
/// terminal is the order things happened.
///
/// It runs on the log follower's thread; the demo's script tells it when it
/// killed the upstream, which every timing is measured from.
final class Narration: Sendable {
    let terminal: Terminal
    /// host:port → instance name (db1 …, "the VIP").
    let names: [String: String]
    let timeline: DaemonTimeline
    private let state = Mutex(State())

    private struct State {
        var killedAt: ContinuousClock.Instant?
        var runStartedAt: ContinuousClock.Instant?
        var stepStartedAt: ContinuousClock.Instant?
        var runFinished = false
        var dmctlSeconds = 0.0
        var dmctlCommands = 0
        var toldHealthy = false
        var toldSuspect = false
        var toldDown = false
    }

    init(terminal: Terminal, names: [String: String], timeline: DaemonTimeline) {
        self.terminal = terminal
        self.names = names
        self.timeline = timeline
    }

    /// Everything from now on is timed from `instant`.
    func killed(at instant: ContinuousClock.Instant) {
        state.withLock { $0.killedAt = instant }
    }

    /// Prints `line` with its commentary, then records it in the timeline.
    func handle(_ line: DaemonLogLine) {
        before(line)
        terminal.daemon(line.text)
        after(line)
        timeline.append(line)
    }

    private func before(_ line: DaemonLogLine) {
        switch line.code {
        case "failover-deciding":
            terminal.phase(4, "Choosing the new upstream")
        case "run-started":
            // "… starts (v2-vip runbook, 8 steps): …" → "The v2-vip runbook, 8 steps".
            let sentence = line.sentence
            let inner = sentence.firstIndex(of: "(").map { sentence[sentence.index(after: $0)...].prefix { $0 != ")" } }
            terminal.phase(5, inner.map { "The \($0)" } ?? "The runbook")
        default:
            break
        }
    }

    private func after(_ line: DaemonLogLine) {
        let now = line.seenAt
        switch line.code {
        case "upstream-healthy":
            if firstTime(\.toldHealthy) { terminal.say("dmswitchd probes every instance each second: " + lowercasedFirst(named(line.sentence))) }
        case "upstream-suspect":
            if firstTime(\.toldSuspect) { terminal.say("One failed probe is not a verdict: dmswitchd wants 3 in a row, and the replicas' own view.") }
        case "upstream-seen-by-replicas":
            terminal.say("Not down yet: a replica still replicates from the upstream.")
        case "upstream-down":
            guard firstTime(\.toldDown) else { break }
            let since = sinceKill(now).map { "Detected \($0) after the kill: " } ?? "Detected: "
            terminal.say(since + "3 failed probes in a row, and no replica still replicates from it.")
        case "failover-deciding":
            terminal.say("dmswitchd reads DM's checkpoint (gtid-S) and judges every candidate against it.")
        case "candidate-verdict":
            terminal.detail("→ " + named(line.sentence))
        case "candidate-chosen":
            terminal.say(named(line.sentence))
        case "run-started":
            state.withLock { state in
                state.runStartedAt = now
                state.stepStartedAt = now
            }
            terminal.say("Each step: verify DM's state, write the intent to the journal (fsync), act, verify the effect, write the outcome.")
        case "step-succeeded", "check-passed", "step-already-done":
            let took = state.withLock { state -> Duration? in
                defer { state.stepStartedAt = now }
                return state.stepStartedAt.map { now - $0 }
            }
            let step = line["step"] ?? "?"
            let position = stepPosition(line).map { "\($0.0)/\($0.1) " } ?? ""
            let timing = took.map { " (\(seconds($0)))" } ?? ""
            let done = line.code == "step-already-done" ? " Already so: not done again." : ""
            terminal.detail("✓ \(position)\(step)\(timing): \(StepNotes.why(step))\(done)", .green)
        case "step-failed", "waiting-for-catch-up":
            terminal.detail("… " + named(line.sentence), .yellow)
        case "check-refused", "run-aborting", "step-gave-up", "held", "failover-blocked":
            terminal.say(named(line.sentence))
        case "run-completed":
            let times = state.withLock { state -> (Duration?, Double, Int) in
                state.runFinished = true
                let run = state.runStartedAt.map { now - $0 }
                state.stepStartedAt = now
                return (run, state.dmctlSeconds, state.dmctlCommands)
            }
            let dmctl = seconds(.milliseconds(Int((times.1 * 1000).rounded())))
            terminal.say("The run took \(times.0.map(seconds) ?? "?"), \(dmctl) of it inside \(times.2) dmctl commands.")
        case nil where line.dmctlCommand != nil:
            state.withLock { state in
                guard state.runStartedAt != nil, !state.runFinished else { return }
                state.dmctlSeconds += line.seconds
                state.dmctlCommands += 1
            }
        default:
            break
        }
    }

    /// True the first time it is asked about `flag` (each comment is made once).
    private func firstTime(_ flag: WritableKeyPath<State, Bool>) -> Bool {
        state.withLock { state in
            defer { state[keyPath: flag] = true }
            return !state[keyPath: flag]
        }
    }

    private func sinceKill(_ instant: ContinuousClock.Instant) -> String? {
        state.withLock { $0.killedAt }.map { seconds(instant - $0) }
    }

    private func lowercasedFirst(_ text: String) -> String {
        text.prefix(1).lowercased() + text.dropFirst()
    }

    /// "Step 3 of 8 (pause-task) …" → (3, 8).
    private func stepPosition(_ line: DaemonLogLine) -> (Int, Int)? {
        let words = line.sentence.split(separator: " ")
        guard let of = words.firstIndex(of: "of"), of > 0, of + 1 < words.count,
              let index = Int(words[of - 1]), let total = Int(words[of + 1].prefix { $0.isNumber }) else { return nil }
        return (index, total)
    }

    /// `text` with every known host:port replaced by the instance's name.
    func named(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let colon = rest.firstIndex(of: ":") {
            let hostStart = rest[..<colon].lastIndex { !($0.isNumber || $0 == ".") }.map { rest.index(after: $0) } ?? rest.startIndex
            let portEnd = rest[rest.index(after: colon)...].firstIndex { !$0.isNumber } ?? rest.endIndex
            let address = String(rest[hostStart..<portEnd])
            if let name = names[address] {
                result += rest[..<hostStart] + name
            } else {
                result += rest[..<portEnd]
            }
            rest = rest[portEnd...]
        }
        return result + rest
    }
}
