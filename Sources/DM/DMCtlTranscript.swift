import Posix

/// One dmctl run as it happened: for the daemon's log and for measuring time spent in dmctl.
public struct DMCtlTranscriptEntry: Sendable {
    /// The command that was run.
    public var command: DMCtlCommand
    /// argv[0] and the arguments exactly as passed.
    public var argv: [String]
    /// How dmctl ended; `nil` when it could not be started.
    public var status: ExitStatus?
    /// The deadline passed and dmctl's process group was killed.
    public var timedOut: Bool
    /// Wall time from spawn to reaping (zero when it could not be started).
    public var duration: Duration
    /// Raw standard output, bounded by the configured limit.
    public var stdout: String
    /// Raw standard error, bounded by the configured limit.
    public var stderr: String
    /// Output beyond the limit was dropped.
    public var truncated: Bool
    /// Why dmctl could not be started, if it could not.
    public var startFailure: String?

    public init(
        command: DMCtlCommand, argv: [String], status: ExitStatus?, timedOut: Bool, duration: Duration,
        stdout: String, stderr: String, truncated: Bool, startFailure: String? = nil
    ) {
        self.command = command
        self.argv = argv
        self.status = status
        self.timedOut = timedOut
        self.duration = duration
        self.stdout = stdout
        self.stderr = stderr
        self.truncated = truncated
        self.startFailure = startFailure
    }
}

/// Receives every transcript entry; called on the thread that ran dmctl, so keep it short.
public typealias DMCtlTranscriptHook = @Sendable (DMCtlTranscriptEntry) -> Void
