/// Parses `start-task`'s reply, which is not always valid JSON.
///
/// When the precheck reports warnings or errors, dmctl marshals the reply with a placeholder
/// for `checkResult` and then splices the raw precheck text (with newlines, quotes and a
/// `detail: {…}` JSON blob) over the placeholder (dm-interface §2.4). `checkResult` is the last
/// field of `StartTaskResponse`, so the spliced text runs from `"checkResult": "` to the last
/// quote before the closing brace: re-escaping that span gives valid JSON back. If even that
/// fails, `result` and `msg` are picked out of the text, so a precheck failure is still
/// reported as a precheck failure rather than as garbage.
public enum DMStartTaskParser {
    static let expected = "start-task reply"

    public static func parse(_ output: String) throws(DMOutputError) -> DMOperationReply {
        guard let start = DMCtlJSON.replyStart(in: output) else {
            throw DMOutputError(expected: expected, problem: "it contains no JSON object", output: output)
        }
        let text = output[start...]
        if JSONValue.decode(text) != nil {
            return try DMOperationParser.parse(output, expected: expected)
        }
        if let repaired = repairSplicedCheckResult(text), let value = JSONValue.decode(Substring(repaired.json)) {
            do {
                var reply = try DMOperationParser.reply(JSONCursor(value))
                reply.checkResult = repaired.checkResult.trimmingSpaces
                return reply
            } catch {
                throw error.output(output, expected: expected)
            }
        }
        return try bestEffort(text, output: output)
    }

    /// The reply with the raw `checkResult` re-escaped, and that raw text.
    static func repairSplicedCheckResult(_ text: Substring) -> (json: String, checkResult: String)? {
        guard let marker = text.range(of: "\"checkResult\": \""),
            let closingBrace = text.lastIndex(of: "}"),
            let closingQuote = text[marker.upperBound..<closingBrace].lastIndex(of: "\"")
        else { return nil }
        let raw = String(text[marker.upperBound..<closingQuote])
        let json = text[..<marker.upperBound] + DMEscaping.doubleQuotedBody(raw) + text[closingQuote...]
        return (String(json), raw)
    }

    /// `result` and `msg` from text that is not JSON; a reply without a readable `result` is an error.
    private static func bestEffort(_ text: Substring, output: String) throws(DMOutputError) -> DMOperationReply {
        guard let match = text.firstMatch(of: #/"result"\s*:\s*(true|false)/#) else {
            throw DMOutputError(expected: expected, problem: "its JSON is malformed and has no \"result\"", output: output)
        }
        var message: String?
        if let found = text.firstMatch(of: #/"msg"\s*:\s*("(?:[^"\\]|\\.)*")/#),
            case .string(let decoded)? = JSONValue.decode(found.output.1)
        {
            message = decoded
        }
        var checkResult: String?
        if let marker = text.range(of: "\"checkResult\": \"") {
            checkResult = String(text[marker.upperBound...]).trimmingSpaces
        }
        return DMOperationReply(
            result: match.output.1 == "true", message: message.flatMap { $0.isEmpty ? nil : $0 },
            checkResult: checkResult)
    }
}
