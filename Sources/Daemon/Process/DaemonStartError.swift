/// Why dmswitchd could not start, as one sentence for stderr and the log.
public struct DaemonStartError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
