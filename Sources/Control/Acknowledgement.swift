import Foundation

/// The result of the commands that change something (hold, release, ack, switchover, reload).
public struct Acknowledgement: Hashable, Codable, Sendable {
    /// What was done, as a sentence: "Held group orders until 10:30:00 UTC."
    public var message: String
    /// The groups affected.
    public var groups: [String]
    /// For a hold with a duration: when it ends.
    public var until: Date?
    /// For a switchover: the id of the run that was started.
    public var run: String?

    public init(message: String, groups: [String] = [], until: Date? = nil, run: String? = nil) {
        self.message = message
        self.groups = groups
        self.until = until
        self.run = run
    }
}
