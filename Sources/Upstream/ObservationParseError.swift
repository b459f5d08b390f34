/// A server answer the probe could not interpret (a missing column, a malformed GTID set).
///
/// The instance answered, so this is not evidence that it is down; the
/// observation reports it as a failure of kind `other` with this sentence.
public struct ObservationParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which value: `Executed_Gtid_Set of SHOW REPLICA STATUS`.
    public var field: String
    /// The text received (nil when the value or column was missing).
    public var text: String?
    /// Why it was rejected.
    public var reason: String

    public init(field: String, text: String?, reason: String) {
        self.field = field
        self.text = text
        self.reason = reason
    }

    public var description: String {
        if let text {
            return "Could not read \(field) from \"\(text)\": \(reason)."
        }
        return "Could not read \(field): \(reason)."
    }
}
