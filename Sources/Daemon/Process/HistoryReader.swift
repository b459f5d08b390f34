import Control
import Failover

/// `dmswitchctl history`: runs and their steps, newest first, read back from
/// the journal records.
enum HistoryReader {
    static func runs(from records: [JournalRecord], group: String?, limit: Int, names: InstanceNames) -> Control.History {
        var order: [RunID] = []
        var headers: [RunID: RunHeader] = [:]
        var runs: [RunID: Control.RunRecord] = [:]
        for record in records {
            switch record {
            case .runStarted(let header):
                guard group == nil || header.group == group else { continue }
                order.append(header.id)
                headers[header.id] = header
                runs[header.id] = Control.RunRecord(
                    id: header.id.rawValue, group: header.group, kind: header.kind.rawValue,
                    from: names.name(of: header.from, in: header.group), to: names.name(of: header.to, in: header.group),
                    startedAt: header.startedAt.date, outcome: "in progress")
            case .stepIntent(let step):
                runs[step.run]?.steps.append(Control.StepRecord(name: step.step.name, startedAt: step.at.date, outcome: "started"))
            case .stepOutcome(let step, let result, let detail):
                guard var run = runs[step.run] else { continue }
                let outcome = detail.isEmpty ? result.code : "\(result.code): \(detail)"
                if let last = run.steps.indices.last, run.steps[last].name == step.step.name, run.steps[last].outcome == "started" {
                    run.steps[last].outcome = outcome
                } else {
                    run.steps.append(Control.StepRecord(name: step.step.name, startedAt: step.at.date, outcome: outcome))
                }
                runs[step.run] = run
            case .runAborting(let run, let failure, _, _):
                runs[run]?.outcome = "aborting: \(failure.sentence)"
            case .runFinished(let run, let outcome, _):
                runs[run]?.outcome = headers[run].map(outcome.sentence) ?? outcome.code
            default:
                continue
            }
        }
        return Control.History(runs: order.reversed().prefix(max(0, limit)).compactMap { runs[$0] })
    }
}
