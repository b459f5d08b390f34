/// One value of an event's `key=value` context.
///
/// Values are text by the time they are logged; the type exists so that secrets can be marked
/// (`.redacted`) and so that literals (`"orders"`, `3`, `true`) read naturally at the call site.
public struct LogValue: Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral, ExpressibleByStringInterpolation,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral
{
    private enum Storage: Hashable, Sendable {
        case text(String)
        case redacted
    }

    private let storage: Storage

    /// What a redacted value prints as.
    public static let redactedText = "[redacted]"

    /// A value that is never written out: passwords, tokens.
    public static let redacted = LogValue(storage: .redacted)

    private init(storage: Storage) {
        self.storage = storage
    }

    /// The value's description (a GTID set, an instance name, a duration…).
    public init(_ value: some CustomStringConvertible) {
        self.storage = .text(value.description)
    }

    /// An optional value; nil prints as `-`, so a missing upstream is visible rather than empty.
    public init(optional value: (some CustomStringConvertible)?) {
        self.storage = .text(value?.description ?? "-")
    }

    public init(stringLiteral value: String) {
        self.storage = .text(value)
    }

    public init(integerLiteral value: Int) {
        self.storage = .text(String(value))
    }

    public init(booleanLiteral value: Bool) {
        self.storage = .text(value ? "true" : "false")
    }

    /// True when the value must not be written.
    public var isRedacted: Bool { storage == .redacted }

    /// The text to log: the value, or `[redacted]`.
    public var description: String {
        switch storage {
        case .text(let text): text
        case .redacted: Self.redactedText
        }
    }
}
