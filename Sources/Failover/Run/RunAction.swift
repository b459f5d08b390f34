/// What a run machine asks its shell to do, in order.
///
/// The order is the contract: a `.persist` must be on disk (fsync) before any later action of
/// the same batch is performed. If it cannot be written, the shell performs none of the
/// following actions and reports `journalFailed`.
public enum RunAction: Hashable, Sendable {
    /// Append the record to the journal and fsync it.
    case persist(JournalRecord)
    /// Observe what the request names, then report `evidenceGathered` with the same id (or
    /// let the deadline pass: the machine then counts the attempt as failed).
    case gather(RequestID, EvidenceRequest, deadline: Instant)
    /// Perform the step, then report `stepFinished` with the same id. The shell must have
    /// ended the step's process by the deadline.
    case execute(RequestID, StepKind, deadline: Instant)
    /// Write the decision to the log.
    case log(Decision)
}
