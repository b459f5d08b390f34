import Glibc
import Failover
import Posix
import Synchronization

/// The write-ahead journal of runs, holds and cooldowns, in the daemon's state directory.
///
/// Files: `journal.log` (appended, one record per line, fsync on every append),
/// `journal.1.log` (the previous journal, kept for `history` after a rotation) and
/// `state.snapshot` (the holds, cooldowns and upstreams the rotated journal established,
/// replaced whole: write-temp → fsync → rename → fsync(dir)). Loading replays the snapshot,
/// then the journal; both only set state, so a crash between the two steps of a rotation
/// replays some records twice, harmlessly.
///
/// `append` returns only once the record is on disk: the shell performs a step only after
/// `append` of its intent returned.
public final class RunJournal: Sendable {
    public let directory: String
    public var journalPath: String { directory + "/journal.log" }
    public var previousPath: String { directory + "/journal.1.log" }
    public var snapshotPath: String { directory + "/state.snapshot" }

    /// Rotate once the journal is larger than this (and no run is unfinished).
    public let rotateAtBytes: Int

    private let state: Mutex<State>

    private struct State: ~Copyable {
        var descriptor: Int32?
        var replayed: ReplayedState
        var size: Int
    }

    /// What loading found: the replayed state for `SupervisorCore`, and notes to log.
    public struct Loaded: Sendable {
        public var replayed: ReplayedState
        /// Sentences about the files (a torn last line, for one); `replayed.notes` has the
        /// replay's own.
        public var notes: [String]
    }

    private init(directory: String, rotateAtBytes: Int, descriptor: Int32, replayed: ReplayedState, size: Int) {
        self.directory = directory
        self.rotateAtBytes = rotateAtBytes
        state = Mutex(State(descriptor: descriptor, replayed: replayed, size: size))
    }

    deinit {
        close()
    }

    /// Opens the journal in `directory` (which must exist), replays it, and cuts off a torn
    /// last line so new records start on a line of their own.
    public static func open(directory: String, rotateAtBytes: Int = 8 << 20) throws(RunJournalError) -> (journal: RunJournal, loaded: Loaded) {
        let journalPath = directory + "/journal.log"
        let snapshotPath = directory + "/state.snapshot"
        for path in [journalPath, snapshotPath] where !(try system { () throws(Errno) in try FileIO.isRegularOrAbsent(path) }) {
            throw .notAFile(path: path)
        }
        let snapshot = try system { () throws(Errno) in try FileIO.read(snapshotPath) }.map { (bytes) throws(RunJournalError) in try JournalText(bytes, path: snapshotPath) }
        let journal = try system { () throws(Errno) in try FileIO.read(journalPath) }.map { (bytes) throws(RunJournalError) in (bytes.count, try JournalText(bytes, path: journalPath)) }
        if let (length, text) = journal, text.validLength < length {
            try system { () throws(Errno) in try FileIO.truncate(journalPath, to: text.validLength) }
        }
        let fd = try system { () throws(Errno) in try FileIO.openForAppend(journalPath, directory: directory) }
        let records = (snapshot?.records ?? []) + (journal?.1.records ?? [])
        let notes = (snapshot?.notes ?? []) + (journal?.1.notes ?? [])
        let replayed = ReplayedState.replay(records)
        let opened = RunJournal(directory: directory, rotateAtBytes: rotateAtBytes, descriptor: fd, replayed: replayed, size: journal?.1.validLength ?? 0)
        return (opened, Loaded(replayed: replayed, notes: notes))
    }

    /// Appends one record and fsyncs it. When this returns, the record survives a crash.
    public func append(_ record: JournalRecord) throws(RunJournalError) {
        let bytes = JournalText.lines([record])
        let path = journalPath
        let result: Result<Void, RunJournalError> = state.withLock { state in
            guard let fd = state.descriptor else { return .failure(.closed(path: path)) }
            do throws(Errno) {
                try FileIO.appendDurably(fd, bytes, path: path)
            } catch {
                return .failure(.system(error))
            }
            state.size += bytes.count
            state.replayed.apply(record)
            return .success(())
        }
        try result.get()
    }

    /// The state the journal establishes now (what a restart would replay).
    public var replayed: ReplayedState {
        state.withLock { $0.replayed }
    }

    /// Starts a new journal when this one has grown past `rotateAtBytes` and no run is
    /// unfinished: the current state goes into `state.snapshot` (atomically), the journal
    /// becomes `journal.1.log`. Returns whether it rotated. Call it at a quiet moment.
    @discardableResult
    public func rotateIfNeeded(at now: Instant) throws(RunJournalError) -> Bool {
        let paths = (journal: journalPath, previous: previousPath, snapshot: snapshotPath)
        let directory = directory
        let limit = rotateAtBytes
        let result: Result<Bool, RunJournalError> = state.withLock { state in
            guard let fd = state.descriptor else { return .failure(.closed(path: paths.journal)) }
            guard state.size > limit, state.replayed.unfinishedRuns.isEmpty else { return .success(false) }
            do throws(Errno) {
                try AtomicFile.write(path: paths.snapshot, contents: JournalText.lines(Self.snapshotRecords(state.replayed, at: now)))
                try FileIO.renameDurably(paths.journal, to: paths.previous, directory: directory)
                Glibc.close(fd)
                state.descriptor = nil
                state.descriptor = try FileIO.openForAppend(paths.journal, directory: directory)
                state.size = 0
                return .success(true)
            } catch {
                return .failure(.system(error))
            }
        }
        return try result.get()
    }

    /// Every readable record of the previous and the current journal, oldest first (for
    /// `history`). A torn last line is skipped.
    public func history() throws(RunJournalError) -> [JournalRecord] {
        var records: [JournalRecord] = []
        for path in [previousPath, journalPath] {
            if let bytes = try system({ () throws(Errno) in try FileIO.read(path) }) {
                records += try JournalText(bytes, path: path).records
            }
        }
        return records
    }

    /// Closes the file; later appends fail with `.closed`.
    public func close() {
        state.withLock { state in
            if let fd = state.descriptor { Glibc.close(fd) }
            state.descriptor = nil
        }
    }

    /// The records that re-establish `state`'s holds, cooldowns and upstreams.
    static func snapshotRecords(_ state: ReplayedState, at now: Instant) -> [JournalRecord] {
        let holds = state.holds.map(JournalRecord.holdPlaced)
        let cooldowns = state.cooldowns.values.sorted { $0.group < $1.group }.map { JournalRecord.cooldownStarted($0, at: now) }
        let upstreams = state.upstreams.sorted { $0.key < $1.key }.map { group, instance in
            JournalRecord.upstreamLearned(group: group, instance: instance, at: now)
        }
        return holds + cooldowns + upstreams
    }
}

/// Runs a system-call wrapper, reporting its failure as a journal error.
private func system<T>(_ body: () throws(Errno) -> T) throws(RunJournalError) -> T {
    do {
        return try body()
    } catch {
        throw .system(error)
    }
}
