import Testing
@testable import Failover

/// Several DM hosts: only the daemon acting for a group starts runs and takes steps; the others
/// keep probing and answering; a daemon that takes over continues an unfinished run from the
/// shared journal.
@Suite("Supervisor: which daemon acts for a group")
struct AuthorityTests {
    /// A group on a daemon that waits for the coordination service, started and past its grace.
    static func waiting(_ kind: RunbookKind = .v2VIP, reason: String = "etcd has not answered yet") throws -> SupervisorDriver {
        var driver = SupervisorDriver(kind, world: try FakeWorld.standard(kind, upstreamHealthy: true))
        driver.core.awaitAuthority(reason)
        driver.start()
        driver.advance(by: .seconds(10))
        return driver
    }

    @Test("Without a coordination service every group acts, as on one host")
    func singleHostActs() throws {
        let driver = try SupervisorTests.running()
        #expect(driver.status?.authority == .acting)
        #expect(driver.core.authority(of: driver.group) == .acting)
        #expect(driver.core.authority(of: "nope") == nil)
    }

    @Test("A daemon that cannot reach etcd starts no run, keeps probing, and says why")
    func unknownStartsNothing() throws {
        var driver = try Self.waiting(reason: "etcd is unreachable")
        SupervisorTests.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.world.performed.isEmpty)
        #expect(driver.status?.verdict.isDown == true, "it kept probing")
        #expect(driver.status?.authority == .unknown(reason: "etcd is unreachable"))
        #expect(driver.logged("failover-blocked").map(\.sentence) == ["No automatic failover starts: etcd is unreachable: no new run starts."])
    }

    @Test("An observing daemon starts nothing, refuses switchover and ack naming the acting host, and still checks")
    func observing() throws {
        var driver = try Self.waiting()
        driver.changeAuthority(.observing(owner: "dm-b"))
        #expect(driver.logged("observing").map(\.sentence) == ["Group mysql-replica-01: dmswitchd on host dm-b acts for this group."])
        #expect(driver.status?.authority == .observing(owner: "dm-b"))
        #expect(driver.command(.switchover(group: driver.group, to: .db2, by: "alice"), id: 1)
            == .refused("dmswitchd on host dm-b acts for this group. Run `switchover` on host dm-b."))
        #expect(driver.command(.acknowledge(group: driver.group, by: "alice"), id: 2)
            == .refused("dmswitchd on host dm-b acts for this group. Run `ack` on host dm-b."))
        guard case .report(let report)? = driver.command(.check(group: driver.group, to: nil), id: 3) else {
            Issue.record("check did not report")
            return
        }
        #expect(report.block == .notActing(.observing(owner: "dm-b")))
        SupervisorTests.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.logged("failover-blocked").map(\.sentence) == ["No automatic failover starts: dmswitchd on host dm-b acts for this group."])
    }

    @Test("Becoming the acting daemon lets the waiting failover run")
    func becomingActing() throws {
        var driver = try Self.waiting()
        SupervisorTests.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(30))
        #expect(driver.runsStarted.isEmpty)
        driver.changeAuthority(.acting, journal: ReplayedState())
        #expect(driver.logged("acting").count == 1)
        driver.advance(by: .seconds(60))
        #expect(driver.runsFinished == [.completed])
        #expect(driver.world.vipTarget == .db2)
    }

    @Test("A cooldown in the shared journal is honoured by the daemon that takes over")
    func cooldownFromJournal() throws {
        var driver = try Self.waiting()
        let cooldown = Cooldown(group: driver.group, run: RunID("a-1"), until: driver.now + .seconds(3600))
        let journal = ReplayedState.replay([.cooldownStarted(cooldown, at: driver.now), .upstreamLearned(group: driver.group, instance: .db1, at: driver.now)])
        driver.changeAuthority(.acting, journal: journal)
        SupervisorTests.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.status?.cooldown == cooldown)
        #expect(driver.logged("failover-blocked").last?.sentence.hasPrefix("No automatic failover starts: The group cools down after run a-1") == true)
    }

    /// Lose the lease just before the `point`-th step is performed.
    static let interruptions: [(RunbookKind, Int)] = RunbookKind.allCases.flatMap { kind in (0..<4).map { (kind, $0) } }

    @Test("Losing the lease mid-run: no further step here; the next owner finishes from the shared journal, each step once",
          arguments: interruptions)
    func takeover(_ kind: RunbookKind, point: Int) throws {
        var first = try SupervisorTests.running(kind)
        var executed = 0
        first.loseAuthorityBefore = { action in
            guard case .execute = action else { return false }
            defer { executed += 1 }
            return executed == point
        }
        SupervisorTests.kill(.db1, in: &first.world)
        first.advance(by: .seconds(60))
        let run = try #require(first.runsStarted.first)
        #expect(first.runsFinished.isEmpty)
        #expect(first.world.performed.filter { !$0.isReadOnly }.count == point)
        #expect(first.status?.run == nil)
        #expect(first.logged("run-handed-over").count == 1)
        let performedBefore = first.world.performed

        var second = SupervisorDriver(kind, world: first.world, at: first.now)
        second.core.awaitAuthority("etcd has not answered yet")
        second.start()
        second.advance(by: .seconds(10))
        #expect(second.runsStarted.isEmpty)
        second.changeAuthority(.acting, journal: ReplayedState.replay(first.journal))
        second.advance(by: .seconds(60))
        #expect(second.logged("run-taken-over").map(\.run) == [run.id])
        #expect(second.runsStarted.isEmpty, "the run continues under its own id")
        #expect(second.runsFinished == [.completed])
        #expect(second.world.blindRepeats.isEmpty, "performed although already done: \(second.world.blindRepeats)")
        for step in run.steps where !step.isReadOnly {
            #expect(second.world.count(step) == 1, "\(step.name) was performed \(second.world.count(step)) times")
        }
        #expect(second.world.performed.starts(with: performedBefore))
        #expect(second.status?.upstream == .db2)
        #expect(second.status?.cooldown?.run == run.id)
    }

    @Test("Losing the lease while a switchover waits for DM refuses it")
    func switchoverPendingWhenLost() throws {
        var driver = try SupervisorTests.running()
        let actions = driver.core.handle(.switchover(group: driver.group, to: .db2, by: "alice"), id: CommandID(9), at: driver.now)
        #expect(actions.contains { if case .queryDM = $0 { true } else { false } })
        driver.changeAuthority(.unknown(reason: "etcd has no quorum"))
        #expect(driver.replies[CommandID(9)] == .refused("The switchover was not started: etcd has no quorum: no new run starts."))
        driver.advance(by: .seconds(30))
        #expect(driver.runsStarted.isEmpty)
    }

    @Test("A hold shared by another daemon stops automatic runs here; lifting it lets them start")
    func sharedHold() throws {
        var driver = try SupervisorTests.running()
        let hold = Hold(scope: .group(driver.group), kind: .operator, reason: "maintenance", owner: "alice", placedAt: driver.now)
        driver.shareHolds([hold])
        #expect(driver.logged("hold-shared").map(\.sentence) == ["Group mysql-replica-01 is held (operator) by alice: maintenance (shared by every dmswitchd)"])
        driver.shareHolds([hold])
        #expect(driver.logged("hold-shared").count == 1, "an unchanged view says nothing")
        SupervisorTests.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.isEmpty)
        #expect(driver.logged("failover-blocked").map(\.sentence) == ["No automatic failover starts: Group mysql-replica-01 is held (operator) by alice: maintenance"])
        driver.shareHolds([])
        #expect(driver.logged("hold-lifted").count == 1)
        driver.advance(by: .seconds(30))
        #expect(driver.runsFinished == [.completed])
    }

    @Test("A group a reload adds to a coordinated daemon waits for the coordination service too")
    func reloadAddsWaitingGroup() throws {
        var driver = try Self.waiting()
        driver.changeAuthority(.acting, journal: ReplayedState())
        var other = driver.settings
        other.name = "mysql-replica-02"
        driver.reconfigure([driver.settings, other])
        let authorities = driver.core.status(at: driver.now).groups.map(\.authority)
        #expect(authorities == [.acting, .unknown(reason: "etcd has not answered yet")])
        let single = try SupervisorTests.running()
        var plain = single
        plain.reconfigure([single.settings, other])
        #expect(plain.core.status(at: plain.now).groups.map(\.authority) == [.acting, .acting], "one host: every group acts")
    }

    @Test("A shared cooldown shows on a daemon that does not act; the acting daemon keeps its own")
    func sharedCooldown() throws {
        var driver = try Self.waiting()
        driver.changeAuthority(.observing(owner: "dm-b"))
        let cooldown = Cooldown(group: driver.group, run: RunID("b-1"), until: driver.now + .seconds(600))
        _ = driver.core.cooldownShared(group: driver.group, cooldown, at: driver.now)
        #expect(driver.status?.cooldown == cooldown)
        _ = driver.core.cooldownShared(group: driver.group, nil, at: driver.now)
        #expect(driver.status?.cooldown == nil)
        var acting = try SupervisorTests.running()
        _ = acting.core.cooldownShared(group: acting.group, cooldown, at: acting.now)
        #expect(acting.status?.cooldown == nil)
    }

    @Test("The hold a broken journal placed stays when the shared holds change")
    func journalHoldStays() throws {
        var driver = try SupervisorTests.running()
        driver.journalFailsNext = true
        driver.command(.hold(.group(driver.group), reason: "x", owner: "alice", until: nil), id: 1)
        #expect(driver.core.holds.contains { $0.kind == .safety && $0.scope == .global })
        driver.shareHolds([])
        #expect(driver.core.holds.contains { $0.kind == .safety && $0.scope == .global })
    }
}
