import GTID

/// What the selector concluded about one candidate, with every reason.
public struct CandidateVerdict: Hashable, Sendable {
    public var instance: InstanceAddress
    public var priority: Int
    /// Transactions in gtid-E (plus what it has received, when catching up): the second
    /// ranking key.
    public var transactionCount: UInt64
    /// Why it cannot be chosen; empty when it can (now or after catching up).
    public var rejections: [Rejection]
    /// What it lacks but has received: it can be chosen after applying it.
    public var catchUp: [Shortfall]
    /// Concerns that do not disqualify.
    public var warnings: [CandidateWarning]
    /// The server identity it answered with, when it answered.
    public var serverIdentity: String?

    public enum Standing: Hashable, Sendable {
        case eligible
        case catchingUp
        case rejected
    }

    public var standing: Standing {
        if !rejections.isEmpty { return .rejected }
        return catchUp.isEmpty ? .eligible : .catchingUp
    }

    /// A stable code: the first rejection's, or `eligible` / `catch-up-possible`.
    public var code: String {
        if let first = rejections.first { return first.code }
        return catchUp.isEmpty ? "eligible" : "catch-up-possible"
    }

    /// One stable sentence: the headline reason.
    public var sentence: String {
        if let first = rejections.first { return "\(instance) \(first.clause)." }
        if !catchUp.isEmpty {
            let parts = catchUp.map { "\($0.checkpoint.label) (\($0.difference))" }
            return "\(instance) has received but not yet applied what \(parts.joined(separator: "; ")) needs; it can catch up."
        }
        return "\(instance) is eligible (priority \(priority), \(transactionCount) transactions)."
    }

    /// Every reason and warning, one sentence each, for `check` and the journal.
    public var sentences: [String] {
        let reasons = rejections.isEmpty ? [sentence] : rejections.map { "\(instance) \($0.clause)." }
        return reasons + warnings.map { "\(instance) \($0.clause)." }
    }
}

/// Why a candidate cannot become the upstream.
public enum Rejection: Hashable, Sendable {
    /// It is the upstream being replaced.
    case currentUpstream
    /// The operator's `no-failover`.
    case excludedByOperator
    /// Its last probe got no answer, so nothing about it can be checked (nil: never probed).
    case unreachable(ProbeFailure?)
    /// It lacks what DM needs from any upstream (DESIGN.md "Preflight").
    case notReadyForDM([PreflightGap])
    /// It is not part of the replication DM reads; switching would need the task redone.
    case outsideGroup(OutsideGroup)
    /// Its SQL thread stopped on an error, or its IO thread on a fatal one: what it has may
    /// never match the group's history.
    case replicationBroken(ReplicationFault)
    /// gtid-P ⊄ gtid-S: it purged binary logs DM still needs.
    case purgedBeyondCheckpoint(Shortfall)
    /// gtid-S ⊄ gtid-E and it has not received the rest: it lacks what DM already took.
    case behindDM(Shortfall)
    /// It could catch up but did not within the catch-up timeout.
    case catchUpTimedOut([Shortfall], timeout: Duration)

    public var code: String {
        switch self {
        case .currentUpstream: "current-upstream"
        case .excludedByOperator: "excluded-by-operator"
        case .unreachable: "unreachable"
        case .notReadyForDM: "not-ready-for-dm"
        case .outsideGroup: "outside-group"
        case .replicationBroken: "replication-broken"
        case .purgedBeyondCheckpoint: "purged-beyond-checkpoint"
        case .behindDM: "behind-dm"
        case .catchUpTimedOut: "catch-up-timed-out"
        }
    }

    /// The predicate of the verdict sentence ("db2:3306 <clause>.").
    public var clause: String {
        switch self {
        case .currentUpstream:
            return "is the current upstream"
        case .excludedByOperator:
            return "is excluded by the operator (no-failover)"
        case .unreachable(let failure):
            return failure.map { "cannot be checked: \($0)" } ?? "cannot be checked: it has not been probed yet"
        case .notReadyForDM(let gaps):
            return "cannot serve DM: " + gaps.map(\.clause).joined(separator: ", ")
        case .outsideGroup(let outside):
            return "is not in the replication group: " + outside.clause
        case .replicationBroken(let fault):
            return "has broken replication: \(fault)"
        case .purgedBeyondCheckpoint(let shortfall):
            return "has purged binary logs \(shortfall.checkpoint.label) still needs: \(shortfall.difference) (gtid-P − gtid-S)"
        case .behindDM(let shortfall):
            return "lacks transactions \(shortfall.checkpoint.label) already has: \(shortfall.difference) (gtid-S − gtid-E)"
        case .catchUpTimedOut(let shortfalls, let timeout):
            let parts = shortfalls.map { "\($0.checkpoint.label) (\($0.difference))" }
            return "did not apply what it lacks within the catch-up timeout of \(timeout.sentenceText): "
                + parts.joined(separator: "; ")
        }
    }
}

/// A GTID difference between a candidate and one of DM's checkpoints.
public struct Shortfall: Hashable, Sendable {
    public var checkpoint: CheckpointReference
    public var difference: GTIDDifference

    public init(checkpoint: CheckpointReference, difference: GTIDDifference) {
        self.checkpoint = checkpoint
        self.difference = difference
    }
}

/// Names a checkpoint without its GTID value (which the verdict does not need to repeat).
public struct CheckpointReference: Hashable, Sendable {
    public var task: String
    public var kind: Checkpoint.Kind

    public init(task: String, kind: Checkpoint.Kind) {
        self.task = task
        self.kind = kind
    }

    public var label: String { "the \(kind.rawValue) checkpoint of task \(task)" }
}

/// A server setting DM needs that a candidate lacks.
public enum PreflightGap: Hashable, Sendable {
    case noBinaryLog
    case noLogSlaveUpdates
    /// MySQL `gtid_mode` other than ON (MariaDB always has GTIDs).
    case noGTIDMode(String)
    case binlogFormat(String)

    var clause: String {
        switch self {
        case .noBinaryLog: "the binary log is off"
        case .noLogSlaveUpdates: "log_slave_updates is off"
        case .noGTIDMode(let mode): "gtid_mode is \(mode), DM needs ON"
        case .binlogFormat(let format): "binlog_format is \(format), DM needs ROW"
        }
    }

    static func gaps(in preflight: PreflightFacts) -> [PreflightGap] {
        var gaps: [PreflightGap] = []
        if !preflight.logBin { gaps.append(.noBinaryLog) }
        if !preflight.logSlaveUpdates { gaps.append(.noLogSlaveUpdates) }
        if let mode = preflight.gtidMode, mode.uppercased() != "ON" { gaps.append(.noGTIDMode(mode)) }
        if preflight.binlogFormat.uppercased() != "ROW" { gaps.append(.binlogFormat(preflight.binlogFormat)) }
        return gaps
    }
}

/// How a candidate is outside the replication group.
public enum OutsideGroup: Hashable, Sendable {
    /// Its GTID history lacks these origins (server UUIDs; MariaDB domains) of gtid-S.
    case lacksOrigins([String])
    /// It replicates from an address that is not an instance of the group.
    case replicatesFrom(InstanceAddress)
    /// Its GTIDs are of the other flavor than DM's checkpoints.
    case otherFlavor(GTIDFlavor)

    var clause: String {
        switch self {
        case .lacksOrigins(let origins):
            "its GTID history lacks origins \(origins.joined(separator: ", ")) of DM's checkpoint"
        case .replicatesFrom(let source):
            "it replicates from \(source), which is not an instance of the group"
        case .otherFlavor(let flavor):
            "it has \(flavor == .mysql ? "MySQL" : "MariaDB") GTIDs and DM's checkpoint does not"
        }
    }
}

/// A replica thread's error.
public struct ReplicationFault: Hashable, Sendable, CustomStringConvertible {
    public enum Thread: String, Hashable, Sendable {
        case io = "IO"
        case sql = "SQL"
    }

    public var thread: Thread
    public var errno: UInt32
    public var message: String

    public var description: String {
        message.isEmpty ? "\(thread.rawValue) thread error \(errno)" : "\(thread.rawValue) thread error \(errno) (\(message))"
    }

    /// IO errno 1236: the source refused to send binary logs (purged, or GTIDs the source does
    /// not have). Connection errors while the upstream is down are expected and are not faults.
    static let fatalIOErrnos: Set<UInt32> = [1236]

    static func fault(in replication: ReplicationStatus) -> ReplicationFault? {
        if replication.lastSQLErrno != 0 {
            return ReplicationFault(thread: .sql, errno: replication.lastSQLErrno, message: replication.lastSQLError)
        }
        if fatalIOErrnos.contains(replication.lastIOErrno) {
            return ReplicationFault(thread: .io, errno: replication.lastIOErrno, message: replication.lastIOError)
        }
        return nil
    }
}

/// A concern about a candidate that does not disqualify it.
public enum CandidateWarning: Hashable, Sendable {
    /// GTIDs from origins seen nowhere else in the group: errant transactions, which DM would
    /// replicate downstream after the switch (orchestrator PR #812 prefers candidates without).
    case errantTransactions(origins: [String])
    /// It catches up, but its SQL thread is stopped (no error): it applies what it lacks only
    /// once the thread is started again, as an HA tool does while it promotes.
    case applierStopped

    public var code: String {
        switch self {
        case .errantTransactions: "errant-transactions"
        case .applierStopped: "applier-stopped"
        }
    }

    public var clause: String {
        switch self {
        case .errantTransactions(let origins):
            "has transactions from origins seen nowhere else in the group: \(origins.joined(separator: ", ")) (errant transactions)"
        case .applierStopped:
            "has its SQL thread stopped: it applies what it lacks only once the thread is started again"
        }
    }
}
