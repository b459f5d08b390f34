/// A decision with its reason, for the log (and the journal).
///
/// The core never logs; it returns these and the shell writes one line each: the sentence,
/// then `code=`, `group=`, `run=`, `step=` as key=value context.
public struct Decision: Hashable, Sendable {
    /// Syslog priorities the shell maps to.
    public enum Severity: String, Hashable, Sendable, CaseIterable {
        case info
        case notice
        case warning
        case error
    }

    public var severity: Severity
    /// A stable kebab-case code naming the kind of decision.
    public var code: String
    public var group: String?
    public var run: RunID?
    public var step: String?
    /// One stable sentence saying what was decided and why.
    public var sentence: String

    public init(_ severity: Severity, code: String, group: String? = nil, run: RunID? = nil, step: String? = nil, _ sentence: String) {
        self.severity = severity
        self.code = code
        self.group = group
        self.run = run
        self.step = step
        self.sentence = sentence
    }
}
