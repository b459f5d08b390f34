import Control
import Coordination
import DMSwitchConfig
import Failover

/// `dmswitchctl history` with coordination: the runs of every daemon, read from the groups'
/// shared journals in etcd, so any daemon answers for all of them.
enum SharedHistory {
    static func runs(_ coordinator: EtcdCoordinator, configuration: DMSwitchConfiguration, group: String?, limit: Int) -> Result<Control.History, ControlError> {
        var records: [JournalRecord] = []
        for name in configuration.groups.map(\.sourceID) where group == nil || group == name {
            do {
                for entry in try coordinator.journal(group: name) {
                    if let record = try? JournalRecord(line: entry.record) { records.append(record) }
                }
            } catch {
                return .failure(ControlError(.internal, "Could not read the shared journal of group \(name) from etcd: \(error)"))
            }
        }
        records.sort { $0.at < $1.at }
        return .success(HistoryReader.runs(from: records, group: group, limit: limit, names: InstanceNames(configuration)))
    }
}
