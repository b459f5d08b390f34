import Failover

/// Something that happened outside the decision thread, for the core to hear.
enum LoopEvent: Sendable {
    case probeCompleted(InstanceObservation, ProbeTicket)
    case dmStatusObserved(DMQueryResult, DMQueryTicket)
    case evidenceGathered(Evidence, RequestID)
    case stepFinished(StepResult, RequestID)
    /// An operator command from the control socket; the reply goes to `reply`.
    case command(OperatorCommand, reply: @Sendable (OperatorReply) -> Void)
    /// A reloaded configuration; `reply` hears the core's summary sentence, or why it was
    /// not applied.
    case reconfigure(Reconfiguration, reply: @Sendable (Result<String, ReloadRefusal>) -> Void)
    /// The coordination service says who acts for a group; `journal` is the group's shared
    /// journal, replayed, when this daemon (again) acts for it.
    case authorityChanged(group: String, GroupAuthority, journal: ReplayedState?)
    /// The holds every daemon shares, complete.
    case holdsChanged([Hold])
    /// The cooldown the acting daemon shares for a group this daemon does not act for.
    case cooldownShared(group: String, Cooldown?)
}

/// Why the decision thread did not apply a reload, as one sentence.
struct ReloadRefusal: Error, CustomStringConvertible {
    let description: String
}
