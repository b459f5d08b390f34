import Coordination
import Failover

/// Holds as etcd keeps them: one key per scope (`<prefix>/holds/<group>`, `<prefix>/holds/all`),
/// whose value lists that scope's holds one per line, each in the journal's text form of
/// `holdPlaced` — the same encoding the local journal uses, so a hold means the same wherever
/// it is read.
enum SharedHolds {
    /// The payload for `holds` (all of one scope); nil when there is none, so the key goes.
    static func payload(_ holds: [Hold]) -> String? {
        holds.isEmpty ? nil : holds.map { JournalRecord.holdPlaced($0).line }.joined(separator: "\n")
    }

    /// The holds in one key's payload; lines that are not holds of `scope` are skipped and named.
    static func holds(in payload: String?, scope: Failover.HoldScope) -> (holds: [Hold], problems: [String]) {
        var holds: [Hold] = []
        var problems: [String] = []
        for line in (payload ?? "").split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
            do {
                guard case .holdPlaced(let hold) = try JournalRecord(line: String(line)), hold.scope == scope else {
                    problems.append("A shared hold of \(scope) is not a hold of that scope: \(line.prefix(200))")
                    continue
                }
                holds.append(hold)
            } catch {
                problems.append("A shared hold of \(scope) cannot be read: \(error)")
            }
        }
        return (holds, problems)
    }

    /// Every hold the watch reported, in a stable order (all groups first, then by group).
    static func holds(_ payloads: [Coordination.HoldScope: String]) -> (holds: [Hold], problems: [String]) {
        var holds: [Hold] = []
        var problems: [String] = []
        for (scope, payload) in payloads {
            let read = Self.holds(in: payload, scope: scope.core)
            holds += read.holds
            problems += read.problems
        }
        holds.sort { ($0.scope, $0.kind.rawValue, $0.placedAt) < ($1.scope, $1.kind.rawValue, $1.placedAt) }
        return (holds, problems)
    }
}

extension Coordination.HoldScope {
    var core: Failover.HoldScope {
        switch self {
        case .all: .global
        case .group(let name): .group(name)
        }
    }
}

extension Failover.HoldScope {
    var shared: Coordination.HoldScope {
        switch self {
        case .global: .all
        case .group(let name): .group(name)
        }
    }
}
