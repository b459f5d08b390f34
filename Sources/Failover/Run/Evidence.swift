/// What a run machine asks the shell to observe before or after a step.
public struct EvidenceRequest: Hashable, Sendable {
    /// DM's status of the group's source (`query-status`, source and relay state).
    public var dmStatus: Bool
    /// A fresh probe of each of these instances.
    public var instances: [InstanceAddress]
    /// A probe through this VIP, for the server identity it answers with.
    public var throughVIP: InstanceAddress?
    /// The host and port of the daemon's saved source file (v2+ address runbook).
    public var savedSourceAddress: Bool
    /// The host and port of the worker's DM-Ansible inventory entry (v1.0 address runbook).
    public var inventoryAddress: Bool

    public init(
        dmStatus: Bool = false, instances: [InstanceAddress] = [], throughVIP: InstanceAddress? = nil,
        savedSourceAddress: Bool = false, inventoryAddress: Bool = false
    ) {
        self.dmStatus = dmStatus
        self.instances = instances
        self.throughVIP = throughVIP
        self.savedSourceAddress = savedSourceAddress
        self.inventoryAddress = inventoryAddress
    }
}

/// What the shell observed for an `EvidenceRequest`.
///
/// A part that could not be gathered is left nil and explained in `failures`; the machine
/// treats a missing part as a failed attempt (retried), never as "not done".
public struct Evidence: Hashable, Sendable {
    public var dmStatus: DMStatus?
    public var instances: [InstanceObservation]
    /// The probe through the VIP (its `instance` is the VIP's address). A failed probe is
    /// evidence too: the VIP answers with nobody.
    public var throughVIP: InstanceObservation?
    public var savedSourceAddress: InstanceAddress?
    public var inventoryAddress: InstanceAddress?
    /// One sentence per part that could not be gathered ("query-status failed: …").
    public var failures: [String]

    public init(
        dmStatus: DMStatus? = nil, instances: [InstanceObservation] = [], throughVIP: InstanceObservation? = nil,
        savedSourceAddress: InstanceAddress? = nil, inventoryAddress: InstanceAddress? = nil, failures: [String] = []
    ) {
        self.dmStatus = dmStatus
        self.instances = instances
        self.throughVIP = throughVIP
        self.savedSourceAddress = savedSourceAddress
        self.inventoryAddress = inventoryAddress
        self.failures = failures
    }

    /// The observation of one instance.
    public func observation(of instance: InstanceAddress) -> InstanceObservation? {
        instances.last { $0.instance == instance }
    }
}

/// What the shell reports after performing a step.
public enum StepResult: Hashable, Sendable {
    case succeeded
    /// One full sentence naming what failed: `Could not pause DM task "orders": dmctl exited 1.`
    case failed(String)
}

/// Identifies one request a machine sent to the shell, so late answers to an abandoned request
/// (timed out, superseded) are recognised and ignored.
public struct RequestID: Hashable, Sendable, CustomStringConvertible {
    public var run: RunID
    public var sequence: UInt64

    public init(run: RunID, sequence: UInt64) {
        self.run = run
        self.sequence = sequence
    }

    public var description: String { "\(run)#\(sequence)" }
}
