import Failover

/// Where the decision thread writes ahead: the local journal file, or the
/// group's fenced journal in etcd when coordination is configured.
///
/// `append` returns only once the record is durable (fsync, or a committed
/// etcd transaction); a thrown error stops the batch it belongs to.
protocol JournalWriting: Sendable {
    func append(_ record: JournalRecord) throws(JournalWriteError)
}

/// Why a journal record could not be written, as one sentence.
struct JournalWriteError: Error, CustomStringConvertible {
    let description: String
}
