import Failover
import Foundation
import Sandbox

/// dmswitchd's journal of a lab, read back record by record, and the
/// questions the end-to-end tests ask of it.
struct LabJournal {
    let records: [JournalRecord]

    /// Reads `journal.log` in the lab's state directory; a line that does not
    /// decode is a test failure (the daemon wrote it).
    init(_ lab: DeploymentLab) throws {
        let path = lab.stateDirectory + "/journal.log"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        records = try text.split(separator: "\n").map { line in try JournalRecord(line: String(line)) }
    }

    /// Every run started, in order.
    var runs: [RunHeader] {
        records.compactMap { record in
            if case .runStarted(let header) = record { return header }
            return nil
        }
    }

    /// How each run ended.
    var finished: [RunID: RunOutcome] {
        var outcomes: [RunID: RunOutcome] = [:]
        for case .runFinished(let run, let outcome, _) in records { outcomes[run] = outcome }
        return outcomes
    }

    /// The intents written for `run`, in order.
    func intents(of run: RunID) -> [StepRecord] {
        records.compactMap { record in
            if case .stepIntent(let step) = record, step.run == run { return step }
            return nil
        }
    }

    /// The outcomes written for `run`, in order.
    func outcomes(of run: RunID) -> [(step: StepRecord, result: StepRecordResult)] {
        records.compactMap { record in
            if case .stepOutcome(let step, let result, _) = record, step.run == run { return (step, result) }
            return nil
        }
    }

    /// The run's forward steps that change something, as `index: name`, each
    /// with the number of intents and outcomes written for it.
    func mutatingStepCounts(of run: RunHeader) -> [(step: String, intents: Int, outcomes: Int)] {
        let intents = intents(of: run.id).filter { $0.stage == .forward }
        let outcomes = outcomes(of: run.id).filter { $0.step.stage == .forward }
        return run.steps.enumerated().filter { !$0.element.isReadOnly }.map { index, step in
            ("\(index): \(step.name)", intents.filter { $0.index == index }.count, outcomes.filter { $0.step.index == index }.count)
        }
    }
}

extension DeploymentLab {
    /// Instance `number`'s address in the core's vocabulary (as the journal names it).
    func journalAddress(of number: Int) -> Failover.InstanceAddress {
        let record = sandbox.instances[number - 1]
        return Failover.InstanceAddress(host: record.host, port: record.port)
    }
}
