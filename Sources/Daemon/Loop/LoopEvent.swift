import Failover

/// Something that happened outside the decision thread, for the core to hear.
enum LoopEvent: Sendable {
    case probeCompleted(InstanceObservation, ProbeTicket)
    case dmStatusObserved(DMQueryResult, DMQueryTicket)
    case evidenceGathered(Evidence, RequestID)
    case stepFinished(StepResult, RequestID)
    /// An operator command from the control socket; the reply goes to `reply`.
    case command(OperatorCommand, reply: @Sendable (OperatorReply) -> Void)
}
