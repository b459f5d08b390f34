/// dmctl printed something that is not the reply a command should produce.
///
/// Carries the beginning of the output so an operator can see what dmctl said (a usage text,
/// an HTML error page from a proxy, a truncated reply) without digging through logs.
public struct DMOutputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reply that was expected, e.g. "query-status reply".
    public var expected: String
    /// What is wrong, e.g. "it contains no JSON object" or "`sources[0].result` is a string, not a boolean".
    public var problem: String
    /// The first 200 bytes of what dmctl printed on standard output.
    public var excerpt: String

    /// How much of the output the error quotes: enough to recognise it, short enough for one log line.
    public static let excerptLimit = 200

    public init(expected: String, problem: String, output: String) {
        self.expected = expected
        self.problem = problem
        self.excerpt = Self.excerpt(of: output)
    }

    public var description: String {
        if excerpt.isEmpty {
            return "dmctl printed nothing where a \(expected) was expected"
        }
        return "dmctl printed output that is not a \(expected) (\(problem)): \"\(excerpt)\""
    }

    /// The first `excerptLimit` bytes of `output`, cut at a character boundary, with line breaks
    /// and other control characters escaped so the excerpt stays on one line.
    static func excerpt(of output: String) -> String {
        var end = output.startIndex
        var bytes = 0
        for index in output.indices {
            let size = output[index].utf8.count
            if bytes + size > excerptLimit { break }
            bytes += size
            end = output.index(after: index)
        }
        return DMEscaping.doubleQuotedBody(String(output[..<end]))
    }
}
