import GTID
import Testing
@testable import Failover

/// One row of the verdict table: a candidate db2 built by `make`, and what the selector says.
struct VerdictRow: Sendable, CustomTestStringConvertible {
    var name: String
    var group: GroupSettings = settings()
    var make: @Sendable () throws -> InstanceObservation?
    var code: String
    var sentence: String
    var testDescription: String { name }
}

@Suite("Selector: DM's GTID conditions, a reason for every candidate")
struct SelectorTests {
    /// DM's gtid-S for task orders: A:1-100.
    static func dm() throws -> DMStatus {
        DMStatus(tasks: [task(syncer: try mysql("\(UUID.a):1-100"))], source: SourceStatus(sourceID: "mysql-replica-01"))
    }

    static func replica(
        e: String = "\(UUID.a):1-120", p: String = "\(UUID.a):1-50", source: InstanceAddress = .db1,
        io: ReplicationThreadState = .connecting, sql: ReplicationThreadState = .running, received: String? = nil,
        ioErrno: UInt32 = 0, sqlErrno: UInt32 = 0, preflight: PreflightFacts = .good
    ) throws -> InstanceObservation {
        reachable(.db2, state(
            "db2-uuid", e: try mysql(e), p: try mysql(p), replicatingFrom: source, io: io, sql: sql,
            received: try received.map(mysql), ioErrno: ioErrno, sqlErrno: sqlErrno, preflight: preflight))
    }

    static func input(_ candidate: InstanceObservation?, group: GroupSettings = settings(), dm: DMStatus? = nil, catchUpSince: Instant? = nil) throws -> SelectionInput {
        SelectionInput(
            settings: group, upstream: .db1, dm: try dm ?? Self.dm(), observations: [failed(.db1)] + (candidate.map { [$0] } ?? []),
            catchUpSince: catchUpSince.map { [.db2: $0] } ?? [:], now: t0)
    }

    static let rows: [VerdictRow] = [
        VerdictRow(name: "eligible", make: { try replica() }, code: "eligible",
                   sentence: "db2:3306 is eligible (priority 0, 120 transactions)."),
        VerdictRow(name: "excluded by operator", group: settings(instances: [InstanceSpec(address: .db1), InstanceSpec(address: .db2, noFailover: true)]),
                   make: { try replica() }, code: "excluded-by-operator", sentence: "db2:3306 is excluded by the operator (no-failover)."),
        VerdictRow(name: "unreachable", make: { failed(.db2, .timedOut, "no answer within 1 s") }, code: "unreachable",
                   sentence: "db2:3306 cannot be checked: timed out (no answer within 1 s)."),
        VerdictRow(name: "never probed", make: { nil }, code: "unreachable",
                   sentence: "db2:3306 cannot be checked: it has not been probed yet."),
        VerdictRow(name: "no binary log", make: { try replica(preflight: PreflightFacts(logBin: false, logSlaveUpdates: true, gtidMode: "ON", binlogFormat: "ROW")) },
                   code: "not-ready-for-dm", sentence: "db2:3306 cannot serve DM: the binary log is off."),
        VerdictRow(name: "no log_slave_updates", make: { try replica(preflight: PreflightFacts(logBin: true, logSlaveUpdates: false, gtidMode: "ON", binlogFormat: "ROW")) },
                   code: "not-ready-for-dm", sentence: "db2:3306 cannot serve DM: log_slave_updates is off."),
        VerdictRow(name: "not GTID, not ROW", make: { try replica(preflight: PreflightFacts(logBin: true, logSlaveUpdates: true, gtidMode: "OFF_PERMISSIVE", binlogFormat: "STATEMENT")) },
                   code: "not-ready-for-dm", sentence: "db2:3306 cannot serve DM: gtid_mode is OFF_PERMISSIVE, DM needs ON, binlog_format is STATEMENT, DM needs ROW."),
        VerdictRow(name: "history lacks the origins of gtid-S", make: { try replica(e: "\(UUID.x):1-500", p: "") }, code: "outside-group",
                   sentence: "db2:3306 is not in the replication group: its GTID history lacks origins \(UUID.a) of DM's checkpoint."),
        VerdictRow(name: "replicates from outside the group", make: { try replica(source: .db9) }, code: "outside-group",
                   sentence: "db2:3306 is not in the replication group: it replicates from db9:3306, which is not an instance of the group."),
        VerdictRow(name: "other GTID flavor", make: { reachable(.db2, state("0-2", e: try mariadb("0-2-500"))) }, code: "outside-group",
                   sentence: "db2:3306 is not in the replication group: it has MariaDB GTIDs and DM's checkpoint does not."),
        VerdictRow(name: "SQL thread error", make: { try replica(sql: .stopped, sqlErrno: 1062) }, code: "replication-broken",
                   sentence: "db2:3306 has broken replication: SQL thread error 1062 (sql error 1062)."),
        VerdictRow(name: "fatal IO error 1236", make: { try replica(ioErrno: 1236) }, code: "replication-broken",
                   sentence: "db2:3306 has broken replication: IO thread error 1236 (io error 1236)."),
        VerdictRow(name: "IO connect error while the upstream is down is not broken", make: { try replica(ioErrno: 2003) }, code: "eligible",
                   sentence: "db2:3306 is eligible (priority 0, 120 transactions)."),
        VerdictRow(name: "purged beyond DM's checkpoint", make: { try replica(p: "\(UUID.a):1-110") }, code: "purged-beyond-checkpoint",
                   sentence: "db2:3306 has purged binary logs the syncer checkpoint of task orders still needs: \(UUID.a):101-110 (gtid-P − gtid-S)."),
        VerdictRow(name: "behind DM", make: { try replica(e: "\(UUID.a):1-90") }, code: "behind-dm",
                   sentence: "db2:3306 lacks transactions the syncer checkpoint of task orders already has: \(UUID.a):91-100 (gtid-S − gtid-E)."),
        VerdictRow(name: "received, not applied: catch-up possible", make: { try replica(e: "\(UUID.a):1-90", received: "\(UUID.a):1-100") }, code: "catch-up-possible",
                   sentence: "db2:3306 has received but not yet applied what the syncer checkpoint of task orders (\(UUID.a):91-100) needs; it can catch up."),
        VerdictRow(name: "received, but the SQL thread is stopped: catch-up possible once started", make: { try replica(e: "\(UUID.a):1-90", sql: .stopped, received: "\(UUID.a):1-100") },
                   code: "catch-up-possible",
                   sentence: "db2:3306 has received but not yet applied what the syncer checkpoint of task orders (\(UUID.a):91-100) needs; it can catch up."),
        VerdictRow(name: "received only part of it: behind DM", make: { try replica(e: "\(UUID.a):1-90", io: .running, received: "\(UUID.a):1-95") }, code: "behind-dm",
                   sentence: "db2:3306 lacks transactions the syncer checkpoint of task orders already has: \(UUID.a):91-100 (gtid-S − gtid-E)."),
    ]

    @Test("One verdict per reason", arguments: rows)
    func verdictRow(_ row: VerdictRow) throws {
        let selection = Selector.select(try Self.input(try row.make(), group: row.group))
        let verdict = try #require(selection.verdict(of: .db2))
        #expect(verdict.code == row.code)
        #expect(verdict.sentence == row.sentence)
    }

    @Test("The current upstream is never a candidate")
    func currentUpstream() throws {
        let selection = Selector.select(try Self.input(try Self.replica()))
        #expect(selection.verdict(of: .db1)?.sentence == "db1:3306 is the current upstream.")
    }

    @Test("Every rejection is listed, not only the first")
    func allReasons() throws {
        let group = settings(instances: [InstanceSpec(address: .db1), InstanceSpec(address: .db2, noFailover: true)])
        let dm = DMStatus(tasks: [task(syncer: try mysql("\(UUID.a):1-100")), task("billing", syncer: try mysql("\(UUID.a):1-130"))], source: nil)
        let selection = Selector.select(try Self.input(try Self.replica(e: "\(UUID.a):1-120", p: "\(UUID.a):1-110"), group: group, dm: dm))
        let verdict = try #require(selection.verdict(of: .db2))
        #expect(verdict.rejections.map(\.code) == ["excluded-by-operator", "behind-dm", "purged-beyond-checkpoint"])
        #expect(verdict.sentences.count == 3)
        #expect(selection.decision == .noEligibleCandidate)
        #expect(selection.sentence == "No eligible candidate: every instance is rejected.")
    }

    @Test("A stopped SQL thread is a warning on a catching-up candidate, not a rejection")
    func applierStopped() throws {
        let selection = Selector.select(try Self.input(try Self.replica(e: "\(UUID.a):1-90", sql: .stopped, received: "\(UUID.a):1-100")))
        let verdict = try #require(selection.verdict(of: .db2))
        #expect(verdict.standing == .catchingUp)
        #expect(verdict.warnings == [.applierStopped])
        #expect(verdict.sentences.last == "db2:3306 has its SQL thread stopped: it applies what it lacks only once the thread is started again.")
        #expect(selection.decision == .waitForCatchUp(.db2, until: t0 + .seconds(30)))
    }

    @Test("Errant transactions are a warning, not a rejection")
    func errantTransactions() throws {
        let candidate = try Self.replica(e: "\(UUID.a):1-120,\(UUID.c):1-5")
        let sibling = reachable(.db3, state("db3", e: try mysql("\(UUID.a):1-110"), replicatingFrom: .db1))
        var input = try Self.input(candidate)
        input.observations.append(sibling)
        let selection = Selector.select(input)
        let verdict = try #require(selection.verdict(of: .db2))
        #expect(verdict.standing == .eligible)
        #expect(verdict.warnings == [.errantTransactions(origins: [UUID.c])])
        #expect(verdict.sentences.last == "db2:3306 has transactions from origins seen nowhere else in the group: \(UUID.c) (errant transactions).")
        #expect(selection.verdict(of: .db3)?.warnings == [])
    }

    @Test("Origins the failed upstream had at its last answer are not errant")
    func lastAnswersCount() throws {
        var input = try Self.input(try Self.replica(e: "\(UUID.a):1-120,\(UUID.b):1-5"))
        #expect(Selector.select(input).verdict(of: .db2)?.warnings.isEmpty == false)
        input.lastAnswers[.db1] = state("db1", e: try mysql("\(UUID.a):1-120,\(UUID.b):1-5"))
        #expect(Selector.select(input).verdict(of: .db2)?.warnings.isEmpty == true)
    }

    // MARK: - Ranking

    static func pair(db2: (priority: Int, e: String), db3: (priority: Int, e: String), db3Port: UInt16 = 3306) throws -> SelectionInput {
        let db3Address = InstanceAddress(host: "db3", port: db3Port)
        let group = settings(instances: [
            InstanceSpec(address: .db1), InstanceSpec(address: .db2, priority: db2.priority), InstanceSpec(address: db3Address, priority: db3.priority),
        ])
        var input = try input(try replica(e: db2.e), group: group)
        input.observations.append(reachable(db3Address, state("db3", e: try mysql(db3.e), replicatingFrom: .db1, io: .connecting)))
        return input
    }

    @Test("Higher priority wins over more transactions")
    func priorityFirst() throws {
        let selection = Selector.select(try Self.pair(db2: (0, "\(UUID.a):1-200"), db3: (10, "\(UUID.a):1-120")))
        #expect(selection.decision == .chosen(.db3, because: .higherPriority(10, over: .db2, theirs: 0)))
        #expect(selection.sentence == "Chose db3:3306: priority 10 over db2:3306's 0.")
    }

    @Test("At the same priority, most transactions wins")
    func transactionsSecond() throws {
        let selection = Selector.select(try Self.pair(db2: (5, "\(UUID.a):1-120"), db3: (5, "\(UUID.a):1-130")))
        #expect(selection.decision == .chosen(.db3, because: .moreTransactions(130, over: .db2, theirs: 120)))
        #expect(selection.sentence == "Chose db3:3306: 130 transactions over db2:3306's 120 at the same priority.")
    }

    @Test("A full tie is broken by host name, the same way every time")
    func tieBreakByHost() throws {
        let selection = Selector.select(try Self.pair(db2: (5, "\(UUID.a):1-120"), db3: (5, "\(UUID.a):1-120")))
        #expect(selection.decision == .chosen(.db2, because: .tieBreak(over: .db3)))
        #expect(selection.verdicts.map(\.instance.description) == ["db2:3306", "db3:3306", "db1:3306"])
    }

    @Test("A tie on the same host is broken by port")
    func tieBreakByPort() throws {
        var input = try Self.pair(db2: (5, "\(UUID.a):1-120"), db3: (5, "\(UUID.a):1-120"), db3Port: 3306)
        let low = InstanceAddress(host: "db2", port: 3305)
        input.settings.instances[2].address = low
        input.observations[2].instance = low
        #expect(Selector.select(input).decision == .chosen(low, because: .tieBreak(over: .db2)))
    }

    @Test("The only eligible candidate is chosen as such")
    func onlyCandidate() throws {
        let selection = Selector.select(try Self.input(try Self.replica()))
        #expect(selection.decision == .chosen(.db2, because: .onlyCandidate))
    }

    // MARK: - Catch-up

    @Test("A catching-up candidate that ranks first is waited for, until the catch-up timeout")
    func waitForCatchUp() throws {
        let candidate = try Self.replica(e: "\(UUID.a):1-90", received: "\(UUID.a):1-100")
        let selection = Selector.select(try Self.input(candidate))
        #expect(selection.decision == .waitForCatchUp(.db2, until: t0 + .seconds(30)))
        let later = Selector.select(try Self.input(candidate, catchUpSince: t0 - .seconds(10)))
        #expect(later.decision == .waitForCatchUp(.db2, until: t0 + .seconds(20)))
    }

    @Test("After the catch-up timeout the candidate is rejected and the next one chosen")
    func catchUpTimesOut() throws {
        var input = try Self.pair(db2: (10, "\(UUID.a):1-90"), db3: (0, "\(UUID.a):1-100"))
        input.observations[1] = try Self.replica(e: "\(UUID.a):1-90", received: "\(UUID.a):1-100")
        #expect(Selector.select(input).decision == .waitForCatchUp(.db2, until: t0 + .seconds(30)))
        input.catchUpSince = [.db2: t0 - .seconds(30)]
        let selection = Selector.select(input)
        #expect(selection.decision == .chosen(.db3, because: .onlyCandidate))
        #expect(selection.verdict(of: .db2)?.sentence == "db2:3306 did not apply what it lacks within the catch-up timeout of 30 s: the syncer checkpoint of task orders (\(UUID.a):91-100).")
    }

    // MARK: - DM's documented conditions: gtid-P ⊆ gtid-S ⊆ gtid-E, with relay

    struct ConditionRow: Sendable, CustomTestStringConvertible {
        var name: String
        var dm: DMGeneration
        var relay: Bool
        var syncer: String?
        var relayGTID: String?
        var e: String
        var p: String
        var eligible: Bool
        var testDescription: String { name }
    }

    static let conditions: [ConditionRow] = [
        ConditionRow(name: "P ⊆ S ⊆ E", dm: .v2, relay: false, syncer: "\(UUID.a):1-100", e: "\(UUID.a):1-100", p: "\(UUID.a):1-100", eligible: true),
        ConditionRow(name: "P ⊄ S", dm: .v2, relay: false, syncer: "\(UUID.a):1-100", e: "\(UUID.a):1-200", p: "\(UUID.a):1-101", eligible: false),
        ConditionRow(name: "S ⊄ E", dm: .v2, relay: false, syncer: "\(UUID.a):1-100", e: "\(UUID.a):1-99", p: "", eligible: false),
        ConditionRow(name: "relay on: relay ⊆ E", dm: .v2, relay: true, syncer: "\(UUID.a):1-100", relayGTID: "\(UUID.a):1-150", e: "\(UUID.a):1-150", p: "", eligible: true),
        ConditionRow(name: "relay on: relay ⊄ E although S ⊆ E", dm: .v2, relay: true, syncer: "\(UUID.a):1-100", relayGTID: "\(UUID.a):1-150", e: "\(UUID.a):1-149", p: "", eligible: false),
        ConditionRow(name: "v1.0: gtid-W = relay, syncer empty", dm: .v1, relay: true, syncer: "", relayGTID: "\(UUID.a):1-100", e: "\(UUID.a):1-100", p: "\(UUID.a):1-10", eligible: true),
        ConditionRow(name: "v1.0: relay ⊄ E", dm: .v1, relay: true, syncer: "", relayGTID: "\(UUID.a):1-100", e: "\(UUID.a):1-90", p: "", eligible: false),
        ConditionRow(name: "two origins, one gap in E", dm: .v2, relay: false, syncer: "\(UUID.a):1-100,\(UUID.b):1-20", e: "\(UUID.a):1-100,\(UUID.b):1-10:12-20", p: "", eligible: false),
        ConditionRow(name: "E beyond S in a second origin", dm: .v2, relay: false, syncer: "\(UUID.a):1-100", e: "\(UUID.a):1-100,\(UUID.b):1-5", p: "\(UUID.b):1-5", eligible: false),
    ]

    @Test("DM's conditions decide eligibility", arguments: conditions)
    func dmConditions(_ row: ConditionRow) throws {
        let group = settings(dm: row.dm, relay: row.relay)
        let dm = DMStatus(tasks: [task(syncer: try row.syncer.map(mysql), relay: try row.relayGTID.map(mysql))], source: nil)
        let selection = Selector.select(try Self.input(try Self.replica(e: row.e, p: row.p), group: group, dm: dm))
        #expect((selection.verdict(of: .db2)?.standing == .eligible) == row.eligible, "\(selection.verdict(of: .db2)?.sentences ?? [])")
    }

    @Test("MariaDB positions: per-domain sequences and the oldest binlog's Gtid_list")
    func mariaDB() throws {
        let dm = DMStatus(tasks: [task(syncer: try mariadb("0-1-100"))], source: nil)
        func verdict(e: String, p: String) throws -> CandidateVerdict? {
            let candidate = reachable(.db2, state("0-2", e: try mariadb(e), p: try mariadb(p), replicatingFrom: .db1, io: .connecting,
                                                  preflight: PreflightFacts(logBin: true, logSlaveUpdates: true, gtidMode: nil, gtidStrictMode: true, binlogFormat: "ROW")))
            return Selector.select(try Self.input(candidate, dm: dm)).verdict(of: .db2)
        }
        #expect(try verdict(e: "0-1-120", p: "0-1-50")?.standing == .eligible)
        #expect(try verdict(e: "0-1-90", p: "")?.sentence == "db2:3306 lacks transactions the syncer checkpoint of task orders already has: domain 0: 91-100 (gtid-S − gtid-E).")
        #expect(try verdict(e: "0-1-120", p: "0-1-110")?.code == "purged-beyond-checkpoint")
        #expect(try verdict(e: "1-2-500", p: "")?.code == "outside-group")
    }

    // MARK: - Group blockers and targets

    @Test("Without gtid-S no candidate can be judged", arguments: [
        (GroupBlocker.noTasks(source: "mysql-replica-01"), "DM reports no task on source mysql-replica-01, so there is no gtid-S to check candidates against."),
        (GroupBlocker.noCheckpoint(task: "orders", kind: .syncer, unit: "Load"), "Task orders reports no syncer checkpoint GTID (unit Load), so DM's position cannot be checked."),
    ])
    func blockers(_ blocker: GroupBlocker, _ sentence: String) throws {
        var tasks: [TaskStatus] = []
        if case .noCheckpoint = blocker {
            var loading = task(syncer: nil)
            loading.unit = "Load"
            tasks = [loading]
        }
        let selection = Selector.select(try Self.input(try Self.replica(), dm: DMStatus(tasks: tasks, source: nil)))
        #expect(selection.decision == .groupBlocked)
        #expect(selection.blockers == [blocker])
        #expect(selection.sentence == "No candidate can be checked. \(sentence)")
    }

    @Test("The address runbooks need a saved task file for every task")
    func taskWithoutFile() throws {
        let group = settings(repoint: .address, tasks: [])
        let selection = Selector.select(try Self.input(try Self.replica(), group: group))
        #expect(selection.blockers == [.taskWithoutFile(task: "orders")])
    }

    @Test("Checkpoints of both flavors block the group")
    func mixedFlavors() throws {
        let dm = DMStatus(tasks: [task(syncer: try mysql("\(UUID.a):1-10")), task("billing", syncer: try mariadb("0-1-5"))], source: nil)
        #expect(Selector.select(try Self.input(try Self.replica(), dm: dm)).blockers == [.mixedFlavors])
    }

    @Test("A target that fails the checks is refused with its verdict")
    func targetRefused() throws {
        let input = try Self.input(try Self.replica(e: "\(UUID.a):1-90"))
        let selection = Selector.select(input, target: .db2)
        guard case .targetRefused(let verdict) = selection.decision else {
            Issue.record("expected a refusal, got \(selection.decision)")
            return
        }
        #expect(verdict.code == "behind-dm")
        #expect(selection.sentence == "Refused db2:3306: db2:3306 lacks transactions the syncer checkpoint of task orders already has: \(UUID.a):91-100 (gtid-S − gtid-E).")
        #expect(Selector.select(input, target: .db9).decision == .targetUnknown(.db9))
        #expect(Selector.select(try Self.input(try Self.replica()), target: .db2).decision == .chosen(.db2, because: .requested))
    }
}
