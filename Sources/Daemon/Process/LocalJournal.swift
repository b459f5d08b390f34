import Failover
import RunJournal

/// The journal file in the state directory as the decision thread's
/// write-ahead log (the single-host default, no coordination service).
struct LocalJournal: JournalWriting {
    let journal: RunJournal

    func append(_ record: JournalRecord) throws(JournalWriteError) {
        do {
            try journal.append(record)
        } catch {
            throw JournalWriteError(description: error.description)
        }
    }
}
