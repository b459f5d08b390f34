import Coordination
import Failover
import Foundation
import Sandbox
import Testing

/// One deployment (MariaDB group, VIP, downstream, dmsim as DM), one real 3-member etcd
/// cluster on loopback, and several dmswitchd as on several DM hosts, each with its own
/// configuration, state directory, control socket and log.
struct MultiHostLab {
    let lab: DeploymentLab
    let etcd: EtcdCluster
    let names: [String]
    static let group = LabOptions.sourceID

    static func start(_ names: [String], options: LabOptions = LabOptions(scenario: .vip), vipMoveDelay: Int? = nil) async throws -> MultiHostLab {
        let etcd = try await onOwnThread("etcd-start") { try EtcdCluster.start(members: 3) }
        let lab: DeploymentLab
        do {
            lab = try await DeploymentLab.start(options)
        } catch {
            etcd.tearDown()
            throw error
        }
        let hosts = MultiHostLab(lab: lab, etcd: etcd, names: names)
        do {
            if let vipMoveDelay { try lab.slowDownVIPMove(seconds: vipMoveDelay) }
            for name in names { try await lab.startDaemon(name: name, coordination: LabCoordination(endpoints: etcd.clientURLs)) }
        } catch {
            hosts.shutdown()
            throw error
        }
        return hosts
    }

    func shutdown() {
        lab.shutdown()
        etcd.tearDown()
    }

    /// The group as `dmswitchctl --json status` on the named daemon shows it.
    func status(_ name: String) -> [String: Any]? {
        guard let outcome = try? lab.dmswitchctl(["--json", "status"], daemon: name), outcome.status.isSuccess,
              let object = try? JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any],
              let groups = object["groups"] as? [[String: Any]] else { return nil }
        return groups.first
    }

    func actingNode(seenBy name: String) -> String? {
        status(name)?["actingNode"] as? String
    }

    /// Waits until every daemon in `among` names the same acting node, and returns it.
    func waitForAgreement(among: [String]? = nil, timeout: Duration = .seconds(30)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let seen = (among ?? names).map { actingNode(seenBy: $0) }
            if let first = seen.first, let node = first, seen.allSatisfy({ $0 == node }) { return node }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    /// Waits until `condition` holds, polling every 100 ms.
    func eventually(within limit: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }

    /// Writes to the primary for two seconds, so DM has a checkpoint to check candidates
    /// against (a task that never synced anything has none), then lets the replicas catch up:
    /// these tests are about who acts, and a replica ahead of the promoted one would stop the
    /// sandbox's own promotion. Returns the ids the primary acknowledged.
    @discardableResult
    func writeBriefly() async throws -> [UInt64] {
        let writer = try ContinuousWriter(directory: lab.sandbox.directory, options: .init(rate: 100))
        let writing = Task { try await onOwnThread("writer") { try writer.run() } }
        try await Task.sleep(for: .seconds(2))
        writer.stop()
        let summary = try await writing.value
        try await Task.sleep(for: .seconds(1))
        return summary.acknowledged
    }

    /// The daemons agree on who acts, DM gets a checkpoint, the upstream dies and a replica is
    /// promoted; returns once the acting daemon wrote the intent of the VIP move (which a slow
    /// hook keeps in progress for a while).
    func failUntilVIPMove() async throws -> (acting: String, other: String, acknowledged: [UInt64]) {
        let acting = try #require(await waitForAgreement(), "the daemons never agreed on who acts")
        let other = try #require(names.first { $0 != acting })
        #expect(await lab.waitForDecision("upstream-healthy", daemon: acting))
        let acknowledged = try await writeBriefly()
        try await lab.sandbox.kill(1)
        try await lab.sandbox.promote(2)
        let movingVIP = await eventually(within: .seconds(90)) {
            lab.decisions(code: "step-intent", daemon: acting).contains { $0.contains("step=move-vip") }
        }
        try #require(movingVIP, "the run never reached the VIP move: \(lab.decisionLog(of: acting))")
        return (acting, other, acknowledged)
    }

    /// Exactly one run, completed, each task paused and resumed once, nothing lost or doubled
    /// downstream, and DM never read from two servers. Returns the shared journal.
    @discardableResult
    func expectOneCompletedRun(acknowledged: [UInt64], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [JournalRecord] {
        let journal = try sharedJournal()
        #expect(journal.runsStarted.count == 1, "runs started: \(journal.runsStarted.map(\.id))", sourceLocation: sourceLocation)
        #expect(journal.runsFinished == [.completed], sourceLocation: sourceLocation)
        #expect(try dmCommands("pause-task") == 1, sourceLocation: sourceLocation)
        #expect(try dmCommands("resume-task") == 1, sourceLocation: sourceLocation)
        let consistency = try await lab.consistency(acknowledged: acknowledged)
        #expect(consistency.isExact, "\(consistency)", sourceLocation: sourceLocation)
        #expect(try lab.violations().isEmpty, sourceLocation: sourceLocation)
        return journal
    }

    /// The group's journal as every daemon shares it in etcd.
    func sharedJournal() throws -> [JournalRecord] {
        let client = try EtcdClient(EtcdClientConfiguration(endpoints: etcd.clientURLs, requestTimeout: .seconds(3)))
        let journal = FencedJournal(client: client, keys: try CoordinationKeys(prefix: CoordinationKeys.defaultPrefix))
        return try journal.entries(Self.group).map { try JournalRecord(line: $0.record) }
    }

    /// How many times dmsim (DM) was asked to run `command` successfully, by any daemon.
    func dmCommands(_ command: String) throws -> Int {
        let events = try lab.dmsim(["sim-events"]).stdout.split(separator: "\n")
        return events.filter { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return false }
            return object["kind"] as? String == "command" && object["command"] as? String == command && (object["exitCode"] as? Int ?? 0) == 0
        }.count
    }

    /// Lines of the daemon's log past `offset` characters that carry `code=CODE`.
    func decisions(_ code: String, daemon: String, after offset: Int) -> [String] {
        let log = lab.decisionLog(of: daemon)
        let tail = log.count > offset ? String(log.dropFirst(offset)) : ""
        return tail.split(separator: "\n").map(String.init).filter { $0.contains(" code=\(code) ") || $0.hasSuffix(" code=\(code)") }
    }
}

extension [JournalRecord] {
    var runsStarted: [RunHeader] { compactMap { if case .runStarted(let header) = $0 { header } else { nil } } }
    var runsFinished: [RunOutcome] { compactMap { if case .runFinished(_, let outcome, _) = $0 { outcome } else { nil } } }

    /// Forward steps with a final outcome (succeeded or already done), by index, counted.
    var completedSteps: [Int: Int] {
        var counts: [Int: Int] = [:]
        for record in self {
            guard case .stepOutcome(let step, let result, _) = record, step.stage == .forward else { continue }
            if result == .succeeded || result == .alreadyDone { counts[step.index, default: 0] += 1 }
        }
        return counts
    }
}
