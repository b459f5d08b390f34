import Failover

/// Journal bytes as records: one record per newline-terminated line.
///
/// A record is written as one line and its newline in a single `write`, so a crash can leave
/// only a prefix of the last line — bytes after the last newline (or, on some file systems, a
/// run of NUL bytes). That tail is a torn write: ignored with a note, and cut off so the next
/// record starts on a line of its own. A damaged *complete* line is another matter (see
/// `RunJournalError.damagedLine`).
struct JournalText {
    var records: [JournalRecord] = []
    /// Bytes up to and including the last complete line.
    var validLength = 0
    var notes: [String] = []

    init(_ bytes: [UInt8], path: String) throws(RunJournalError) {
        var lineStart = 0
        var lineNumber = 0
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lineNumber += 1
            let line = bytes[lineStart..<offset]
            lineStart = offset + 1
            guard !line.allSatisfy({ $0 == UInt8(ascii: " ") }) else { continue }
            do {
                records.append(try JournalRecord(line: String(decoding: line, as: UTF8.self)))
            } catch {
                throw .damagedLine(path: path, line: lineNumber, reason: error.description)
            }
        }
        validLength = lineStart
        let torn = bytes.count - lineStart
        if torn > 0 {
            notes.append("The last line of the journal \"\(path)\" was cut off by a crash mid-write (\(torn) bytes without a newline); it is ignored.")
        }
    }

    /// Records as journal text: one line each, newline-terminated.
    static func lines(_ records: [JournalRecord]) -> [UInt8] {
        Array(records.map { $0.line + "\n" }.joined().utf8)
    }
}
