import Failover

/// Where the decision thread writes ahead: the local journal file, or the
/// group's fenced journal in etcd when coordination is configured.
///
/// `append` returns only once the record is durable (fsync, or a committed
/// etcd transaction); a thrown error stops the batch it belongs to, and its
/// `consequence` says how far: everything (the local journal is broken), one
/// group (this daemon no longer acts for it), or nothing but the command that
/// asked for the write (a hold could not be shared).
protocol JournalWriting: Sendable {
    func append(_ record: JournalRecord) throws(JournalWriteError)
    /// Whether a step of `group` may be performed now: with coordination, only
    /// while this daemon still holds the group's lease.
    func mayAct(group: String) -> Bool
    /// The group a record speaks of, when the writer knows.
    func group(of record: JournalRecord) -> String?
    /// The holds as every daemon shares them, last seen; nil when holds are this daemon's own.
    func sharedHolds() -> [Hold]?
}

extension JournalWriting {
    func mayAct(group: String) -> Bool { true }
    func group(of record: JournalRecord) -> String? { nil }
    func sharedHolds() -> [Hold]? { nil }
}

/// Why a journal record could not be written, as one sentence.
struct JournalWriteError: Error, CustomStringConvertible {
    /// What the failed write means for the daemon.
    enum Consequence: Sendable {
        /// The write-ahead log is broken: nothing new may start anywhere.
        case journalBroken
        /// This daemon may no longer act for the group (its lease is lost, or etcd cannot
        /// be used): the group's run stops here, and the next owner continues it.
        case groupLost(String, GroupAuthority)
        /// A shared record (a hold) did not reach etcd: the command that asked is refused.
        case notShared
    }

    let description: String
    var consequence: Consequence = .journalBroken
}
