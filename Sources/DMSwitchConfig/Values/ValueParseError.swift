/// Why the text of a configuration value could not be read as a duration, an address, an
/// etcd URL or a DM version; `reason` is a sentence that quotes the text.
public struct ValueParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { reason }
}
