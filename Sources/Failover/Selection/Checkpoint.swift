import GTID

/// One position DM has already taken, which a candidate must be able to continue from.
///
/// gtid-S in DESIGN.md terms. Per task: the syncer checkpoint (`syncerBinlogGtid`, DM v2+) and,
/// when relay runs, the relay position (`relayBinlogGtid`; the only one in v1.0, where the
/// syncer's is always empty). Every checkpoint gets both checks — gtid-P ⊆ it ⊆ gtid-E — which
/// is conservative for the syncer when relay runs, and exactly DM's documented conditions
/// otherwise (dm-interface.md §9).
public struct Checkpoint: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case syncer
        case relay
    }

    public var task: String
    public var kind: Kind
    public var gtid: GTIDValue

    public init(task: String, kind: Kind, gtid: GTIDValue) {
        self.task = task
        self.kind = kind
        self.gtid = gtid
    }

    /// "the syncer checkpoint of task orders".
    public var label: String { "the \(kind.rawValue) checkpoint of task \(task)" }

    /// Collects the checkpoints of every task DM reports on the source, or the reasons no
    /// candidate can be checked.
    static func collect(from tasks: [TaskStatus], settings: GroupSettings) -> (checkpoints: [Checkpoint], blockers: [GroupBlocker]) {
        guard !tasks.isEmpty else { return ([], [.noTasks(source: settings.name)]) }
        var checkpoints: [Checkpoint] = []
        var blockers: [GroupBlocker] = []
        for task in tasks.sorted(by: { $0.name < $1.name }) {
            if settings.dm == .v2 {
                if let gtid = task.syncerGTID {
                    checkpoints.append(Checkpoint(task: task.name, kind: .syncer, gtid: gtid))
                } else {
                    blockers.append(.noCheckpoint(task: task.name, kind: .syncer, unit: task.unit))
                }
            }
            if settings.relayRuns || task.relayEnabled {
                if let gtid = task.relayGTID {
                    checkpoints.append(Checkpoint(task: task.name, kind: .relay, gtid: gtid))
                } else {
                    blockers.append(.noCheckpoint(task: task.name, kind: .relay, unit: task.unit))
                }
            }
            if settings.repoint == .address, !settings.tasks.contains(where: { $0.name == task.name }) {
                blockers.append(.taskWithoutFile(task: task.name))
            }
        }
        let flavors = Set(checkpoints.map(\.gtid.flavor))
        if flavors.count > 1 { blockers.append(.mixedFlavors) }
        return (checkpoints, blockers)
    }
}

/// A reason no candidate of the group can be judged at all.
public enum GroupBlocker: Hashable, Sendable {
    /// DM reports no task on the source: there is no gtid-S to protect or check against.
    case noTasks(source: String)
    /// A task has no checkpoint of this kind (not in the Sync unit yet, or relay not running).
    case noCheckpoint(task: String, kind: Checkpoint.Kind, unit: String)
    /// The address runbooks restart tasks from saved files; this task has none configured.
    case taskWithoutFile(task: String)
    /// Checkpoints mix MySQL and MariaDB GTIDs.
    case mixedFlavors

    public var code: String {
        switch self {
        case .noTasks: "no-tasks"
        case .noCheckpoint: "no-checkpoint"
        case .taskWithoutFile: "task-without-file"
        case .mixedFlavors: "mixed-flavors"
        }
    }

    public var sentence: String {
        switch self {
        case .noTasks(let source):
            "DM reports no task on source \(source), so there is no gtid-S to check candidates against."
        case .noCheckpoint(let task, let kind, let unit):
            "Task \(task) reports no \(kind.rawValue) checkpoint GTID (unit \(unit)), so DM's position cannot be checked."
        case .taskWithoutFile(let task):
            "Task \(task) runs on the source but has no saved task file, so it could not be started again after the address changes."
        case .mixedFlavors:
            "DM's checkpoints mix MySQL and MariaDB GTIDs, so no candidate can be compared with them."
        }
    }
}
