import DM
import Failover

extension Failover.DMStatus {
    /// The core's view of DM for one source: its tasks (optionally only the
    /// configured ones) and the source's relay.
    ///
    /// A report entry without a worker carries no task state; it contributes
    /// nothing here, so the core sees the tasks as missing and will not act on
    /// them as if they were Running or Paused.
    init(_ report: DMStatusReport, source: String, address: Failover.InstanceAddress?, taskFilter: Set<String>?) {
        let entries = report.reports(forSource: source)
        let tasks = entries.flatMap(\.tasks)
            .filter { $0.source == source && (taskFilter?.contains($0.name) ?? true) }
            .map(Failover.TaskStatus.init)
        let relay = entries.compactMap(\.relay).first
        self.init(
            tasks: tasks,
            source: Failover.SourceStatus(
                sourceID: source,
                address: address,
                relayStage: relay.map { Failover.TaskStage($0.stage) },
                relaySubDir: relay?.subDir?.description,
                relayErrors: relay?.errors.map(Failover.TaskError.init) ?? []))
    }
}

extension Failover.TaskStatus {
    init(_ task: DMTaskStatus) {
        self.init(
            name: task.name,
            source: task.source,
            stage: Failover.TaskStage(task.stage),
            unit: task.unit.description,
            errors: (task.errors + task.relayErrors + task.sourceErrors).map(Failover.TaskError.init),
            syncerGTID: task.syncerGTID,
            relayGTID: task.relayGTID,
            relayEnabled: task.relayEnabled)
    }
}

extension Failover.TaskStage {
    /// A stage this daemon does not know is treated as the invalid stage:
    /// neither Running nor Paused, so no step is skipped or trusted on it.
    init(_ stage: DMStage) {
        self = Failover.TaskStage(rawValue: stage.name) ?? .invalid
    }
}

extension Failover.TaskError {
    init(_ error: DMProcessError) {
        self.init(code: error.code.map { Int(truncatingIfNeeded: $0) } ?? 0, message: error.message)
    }
}
