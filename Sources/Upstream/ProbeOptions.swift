/// How a probe talks to an instance.
public struct ProbeOptions: Equatable, Sendable {
    public var timeouts: ConnectionTimeouts
    /// The longest one probe may take once connected; past it the connection is
    /// shut down and the probe reports `timedOut`. This is the bound that holds
    /// whatever the client library does with its own timeouts (retries, one read
    /// timeout per statement). Nil: the connect timeout plus the read timeout.
    public var deadline: Duration?
    /// Keep the connection open between probes (one connect per instance, not
    /// per probe). A probe on a kept connection that finds it closed by the
    /// server reconnects once before reporting a failure.
    public var reuseConnection: Bool

    public init(timeouts: ConnectionTimeouts = ConnectionTimeouts(), deadline: Duration? = nil, reuseConnection: Bool = true) {
        self.timeouts = timeouts
        self.deadline = deadline
        self.reuseConnection = reuseConnection
    }

    /// The deadline in force: `deadline`, or the effective connect plus read timeouts.
    public var effectiveDeadline: Duration {
        deadline ?? (timeouts.effectiveConnect + timeouts.effectiveRead)
    }
}
