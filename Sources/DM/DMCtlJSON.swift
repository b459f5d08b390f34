/// Finds and decodes the JSON reply in what dmctl printed on standard output.
///
/// dmctl's standard output is not always pure JSON (dm-interface §2.4): usage text precedes a
/// failure, `operate-source create` prints a deprecation line first, TiUP prints a banner. The
/// reply itself always starts with a line that begins with `{` (jsonpb and `encoding/json` both
/// print the opening brace alone), so decoding starts at the first such line.
enum DMCtlJSON {
    /// The decoded reply, or why there is none.
    static func decode(_ output: String, expected: String) throws(DMOutputError) -> JSONCursor {
        guard let start = replyStart(in: output) else {
            throw DMOutputError(expected: expected, problem: "it contains no JSON object", output: output)
        }
        let candidate = output[start...]
        if let value = JSONValue.decode(candidate) {
            return JSONCursor(value)
        }
        // Trailing noise after the reply: cut after the last line that closes the top-level object.
        if let end = lastClosingLine(in: candidate), let value = JSONValue.decode(candidate[..<end]) {
            return JSONCursor(value)
        }
        throw DMOutputError(expected: expected, problem: "its JSON is malformed or truncated", output: output)
    }

    /// The start of the first line whose first character is `{`.
    static func replyStart(in output: String) -> String.Index? {
        var lineStart = output.startIndex
        while lineStart < output.endIndex {
            if output[lineStart] == "{" { return lineStart }
            guard let newline = output[lineStart...].firstIndex(of: "\n") else { return nil }
            lineStart = output.index(after: newline)
        }
        return nil
    }

    /// The end of the last line that is exactly `}` (optionally followed by a carriage return).
    private static func lastClosingLine(in text: Substring) -> String.Index? {
        var end: String.Index?
        var lineStart = text.startIndex
        while lineStart < text.endIndex {
            let newline = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
            let line = text[lineStart..<newline]
            if line == "}" || line == "}\r" { end = newline }
            lineStart = newline < text.endIndex ? text.index(after: newline) : text.endIndex
        }
        return end
    }
}

extension JSONShapeError {
    /// This shape error as an output error for the given reply kind.
    func output(_ output: String, expected: String) -> DMOutputError {
        DMOutputError(expected: expected, problem: sentence, output: output)
    }
}
