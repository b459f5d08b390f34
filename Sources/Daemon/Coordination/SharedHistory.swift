import Control
import Coordination
import Failover

/// `dmswitchctl history` with coordination: the runs of every daemon, read from the groups'
/// shared journals in etcd, so any daemon answers for all of them.
enum SharedHistory {
    static func runs(_ coordinator: EtcdCoordinator, groups names: InstanceNames, group: String?, limit: Int) -> Result<Control.History, ControlError> {
        var journals: [[JournalRecord]] = []
        for name in names.groups where group == nil || group == name {
            do {
                journals.append(try coordinator.journal(group: name).compactMap { try? JournalRecord(line: $0.record) })
            } catch {
                return .failure(ControlError(.internal, "Could not read the shared journal of group \(name) from etcd: \(error)"))
            }
        }
        let ordered = merged(journals)
        return .success(HistoryReader.runs(from: ordered, group: group, limit: limit, names: names))
    }

    /// The groups' journals merged by time, each keeping its own order: two daemons' clocks
    /// may differ a little, and a step's outcome must never come before its intent.
    static func merged(_ journals: [[JournalRecord]]) -> [JournalRecord] {
        var heads = journals.map { _ in 0 }
        var result: [JournalRecord] = []
        while let next = journals.indices.filter({ heads[$0] < journals[$0].count })
            .min(by: { journals[$0][heads[$0]].at < journals[$1][heads[$1]].at }) {
            result.append(journals[next][heads[next]])
            heads[next] += 1
        }
        return result
    }
}
