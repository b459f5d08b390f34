/// Violation detection: is any reading subtask connected to another server than the one it
/// was started or resumed against?
///
/// `Master_Server_Id` of a connection whose IO thread shows `Yes` names the server it reads
/// from. A mismatch with the identity recorded at start/resume means the upstream changed
/// under a running reader — the hazard dmswitch's runbooks exist to prevent. One
/// `SHOW ALL SLAVES STATUS` per downstream keeps the check cheap enough to run on every
/// invocation and in `sim-watch`'s loop.
extension SimContext {
    @discardableResult
    func checkViolations() -> [Violation] {
        let statuses = downstreamStatuses().byTask
        var found: [Violation] = []
        for task in state.tasks.values.sorted(by: { $0.name < $1.name }) {
            for subtask in task.subtasks.values.sorted(by: { $0.source < $1.source }) {
                guard let status = statuses[task.name]?[subtask.connection.lowercased()], status.ioReading,
                      status.masterServerID != 0 else { continue }
                let observed = status.masterServerID
                guard let expected = subtask.startedServerID else {
                    state.tasks[task.name]?.subtasks[subtask.source]?.startedServerID = observed
                    record("identity", task: task.name, source: subtask.source,
                           "reader of \(task.name)/\(subtask.source) first seen reading server_id \(observed); adopted")
                    continue
                }
                guard observed != expected else { continue }
                // DM v2+ relay follows a new upstream by itself; while the task is paused that
                // is DM's own, safe behaviour (a new relay sub-directory), not a hazard.
                if !version.isV1 && usesRelay(subtask.source) && subtask.expected == .paused {
                    state.tasks[task.name]?.subtasks[subtask.source]?.startedServerID = observed
                    record("relay-switch", task: task.name, source: subtask.source,
                           "relay of \(subtask.source) now reads server_id \(observed) while \(task.name) is paused")
                    continue
                }
                guard subtask.flaggedServerID != observed else { continue }
                state.tasks[task.name]?.subtasks[subtask.source]?.flaggedServerID = observed
                let violation = Violation(time: Clock.timestamp(), task: task.name, source: subtask.source,
                                          connection: subtask.connection, address: subtask.startedAddress,
                                          expectedServerID: expected, observedServerID: observed, detectedBy: actor)
                store.append(violation)
                found.append(violation)
            }
        }
        return found
    }
}
