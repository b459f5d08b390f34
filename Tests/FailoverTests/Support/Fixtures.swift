import GTID
@testable import Failover

/// Server UUIDs for MySQL fixtures: origin A is the group's primary, B a second writer, C an
/// instance's own (errant) writes, X a server outside the group.
enum UUID {
    static let a = "aaaaaaaa-0000-0000-0000-00000000000a"
    static let b = "bbbbbbbb-0000-0000-0000-00000000000b"
    static let c = "cccccccc-0000-0000-0000-00000000000c"
    static let x = "eeeeeeee-0000-0000-0000-00000000000e"
}

func mysql(_ text: String) throws -> GTIDValue { try GTIDValue(text, flavor: .mysql) }
func mariadb(_ text: String) throws -> GTIDValue { try GTIDValue(text, flavor: .mariadb) }

extension InstanceAddress {
    static let db1 = InstanceAddress(host: "db1", port: 3306)
    static let db2 = InstanceAddress(host: "db2", port: 3306)
    static let db3 = InstanceAddress(host: "db3", port: 3306)
    static let db9 = InstanceAddress(host: "db9", port: 3306)
    static let vip = InstanceAddress(host: "vip", port: 3306)
}

/// The manual clock's origin.
let t0 = Instant(millisecondsSinceEpoch: 1_700_000_000_000)

extension PreflightFacts {
    static let good = PreflightFacts(logBin: true, logSlaveUpdates: true, gtidMode: "ON", binlogFormat: "ROW")
}

/// An instance's state: a replica of `replicatingFrom` (nil: a primary).
func state(
    _ identity: String, e: GTIDValue, p: GTIDValue? = nil, replicatingFrom source: InstanceAddress? = nil,
    io: ReplicationThreadState = .running, sql: ReplicationThreadState = .running, received: GTIDValue? = nil,
    ioErrno: UInt32 = 0, sqlErrno: UInt32 = 0, preflight: PreflightFacts = .good
) -> InstanceState {
    let replication = source.map {
        ReplicationStatus(
            sourceHost: $0.host, sourcePort: $0.port, ioThread: io, sqlThread: sql,
            lastIOErrno: ioErrno, lastIOError: ioErrno == 0 ? "" : "io error \(ioErrno)",
            lastSQLErrno: sqlErrno, lastSQLError: sqlErrno == 0 ? "" : "sql error \(sqlErrno)", received: received)
    }
    return InstanceState(
        serverIdentity: identity, readOnly: source != nil, gtidE: e, gtidP: p ?? .empty(e.flavor),
        replication: replication, preflight: preflight)
}

func reachable(_ instance: InstanceAddress, _ state: InstanceState) -> InstanceObservation {
    InstanceObservation(instance: instance, outcome: .reachable(state))
}

func failed(_ instance: InstanceAddress, _ kind: ProbeFailureKind = .refused, _ message: String = "") -> InstanceObservation {
    InstanceObservation(instance: instance, outcome: .failed(ProbeFailure(kind: kind, message: message)))
}

/// A group of db1 (the upstream), db2 and db3, with task "orders".
func settings(
    dm: DMGeneration = .v2, repoint: RepointMethod = .vip(.vip), relay: Bool = false,
    instances: [InstanceSpec] = [InstanceSpec(address: .db1), InstanceSpec(address: .db2), InstanceSpec(address: .db3)],
    tasks: [TaskSpec] = [TaskSpec(name: "orders", file: "tasks/orders.yaml")],
    detection: DetectionSettings = DetectionSettings(probeInterval: .seconds(2), probeTimeout: .seconds(1), failuresBeforeDown: 3, confirmWithReplicas: true, startupProbes: 2)
) -> GroupSettings {
    GroupSettings(
        name: "mysql-replica-01", instances: instances, tasks: tasks, dm: dm, relayEnabled: relay, repoint: repoint,
        detection: detection, catchUpTimeout: .seconds(30), cooldown: .seconds(3600),
        retry: RetryPolicy(maxAttempts: 3, firstBackoff: .seconds(2), maxBackoff: .seconds(30)),
        stepTimeout: .seconds(60), dmStatusInterval: .seconds(10))
}

func task(_ name: String = "orders", syncer: GTIDValue?, relay: GTIDValue? = nil, stage: TaskStage = .running, errors: [TaskError] = []) -> TaskStatus {
    TaskStatus(name: name, source: "mysql-replica-01", stage: stage, errors: errors, syncerGTID: syncer, relayGTID: relay, relayEnabled: relay != nil)
}
