import Glibc
import Synchronization

/// The demo's output: two voices on one stream, each line written whole.
///
/// The narrator speaks in plain sentences (`▸ …`), dmswitchd's own lines come
/// prefixed with `dmswitchd │`, so a reader can tell the product's decisions
/// from the demo's commentary. Colors only on a terminal (and never with
/// `NO_COLOR` or `TERM=dumb`), so `make demo > file` and the test read plain text.
final class Terminal: Sendable {
    enum Style: String, Sendable {
        case plain = ""
        case bold = "\u{1B}[1m"
        case dim = "\u{1B}[2m"
        case cyan = "\u{1B}[36m"
        case green = "\u{1B}[1;32m"
        case red = "\u{1B}[1;31m"
        case yellow = "\u{1B}[33m"
    }

    let colors: Bool
    /// Set once the demo is being interrupted: other threads (the script, the log
    /// follower) may still try to write while everything is taken down.
    private let muted = Mutex(false)

    init(colors: Bool = Terminal.isColorTerminal) {
        self.colors = colors
    }

    /// Standard output is a terminal that takes ANSI colors.
    static var isColorTerminal: Bool {
        guard isatty(STDOUT_FILENO) == 1 else { return false }
        if getenv("NO_COLOR") != nil { return false }
        if let term = getenv("TERM").map({ String(cString: $0) }), term == "dumb" { return false }
        return true
    }

    func styled(_ text: String, _ style: Style) -> String {
        guard colors, style != .plain else { return text }
        return style.rawValue + text + "\u{1B}[0m"
    }

    /// Writes `text` and a newline in one write(2).
    func line(_ text: String = "", _ style: Style = .plain) {
        emit(styled(text, style) + "\n", evenIfMuted: false)
    }

    /// Writes `text` as the last words: nothing else is written afterwards.
    func last(_ text: String, _ style: Style = .plain) {
        muted.withLock { $0 = true }
        emit(styled(text, style) + "\n", evenIfMuted: true)
    }

    private func emit(_ text: String, evenIfMuted: Bool) {
        let bytes = Array(text.utf8)
        muted.withLock { muted in
            if muted && !evenIfMuted { return }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// A phase title: `── 3. The upstream dies ─────`.
    func phase(_ number: Int, _ title: String) {
        let head = "── \(number). \(title) "
        line()
        line(head + String(repeating: "─", count: max(3, 72 - head.count)), .bold)
    }

    /// The narrator's sentence.
    func say(_ text: String) {
        line("▸ " + text, .cyan)
    }

    /// A sentence under the narrator's, indented (details, tables).
    func detail(_ text: String, _ style: Style = .plain) {
        line("  " + text, style)
    }

    /// One of dmswitchd's own lines.
    func daemon(_ text: String) {
        line(styled("dmswitchd │ ", .dim) + styled(text, .dim))
    }

    /// Another program's output, indented under a caption.
    func quote(_ caption: String, _ output: String) {
        line("  " + caption, .bold)
        for row in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) where !row.isEmpty {
            line("  │ " + row)
        }
    }
}

/// Seconds with one decimal ("2.8 s") or two under a second ("0.42 s").
func seconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    let hundredths = Int((value * 100).rounded())
    if value < 1 { return "0.\(hundredths < 10 ? "0" : "")\(hundredths) s" }
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) s"
}
