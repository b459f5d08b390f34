import GTID
import Testing
@testable import Failover

@Suite("Reloading the configuration: groups added, changed and removed, runs finish as they started")
struct ReconfigureTests {
    static func running() throws -> SupervisorDriver {
        try SupervisorTests.running()
    }

    /// A switchover to db2 waiting to retry its VIP move: a run in the middle of its steps.
    static func inRun() throws -> SupervisorDriver {
        var driver = try running()
        driver.world.failing[.moveVIP(from: .db1, to: .db2)] = 1
        driver.command(.switchover(group: driver.group, to: .db2, by: "alice"), id: 1)
        #expect(driver.status?.run?.phase == .waitingToRetry)
        return driver
    }

    /// The standard group with db3 preferred (and able to take over: it has what DM has).
    static func preferringDB3(_ driver: inout SupervisorDriver) throws -> GroupSettings {
        driver.world.instances[.db3]?.gtidE = try mysql("\(UUID.a):1-120")
        var changed = driver.settings
        changed.instances[2].priority = 10
        return changed
    }

    @Test("A changed priority applies at once between runs, and the detector keeps what it knew")
    func changeBetweenRuns() throws {
        var driver = try Self.running()
        let known = driver.core.groups[0].detector.records
        let changed = try Self.preferringDB3(&driver)
        #expect(driver.reconfigure([changed]) == [.configureGroup(changed)])
        #expect(driver.logged("group-changed").map(\.sentence) == ["Group mysql-replica-01 runs with the reloaded settings: priority of db3:3306 0 → 10."])
        #expect(driver.logged("reconfigured").map(\.sentence) == ["Reloaded the configuration: group mysql-replica-01 changed."])
        #expect(driver.core.groups[0].settings == changed)
        #expect(driver.core.groups[0].detector.records == known, "no probe was forgotten")
        #expect(driver.status?.startupGrace == .over)
        #expect(driver.status?.upstream == .db1)
        #expect(driver.logged("upstream-learned").count == 1, "the upstream was not learned again")
        SupervisorTests.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(60))
        #expect(driver.runsStarted.map(\.to) == [.db3], "the failover follows the new priority")
        #expect(driver.runsFinished == [.completed])
    }

    @Test("The same settings change nothing; a shell-side change re-applies the group")
    func unchanged() throws {
        var driver = try Self.running()
        let same = driver.settings
        #expect(driver.reconfigure([same]).isEmpty)
        #expect(driver.logged("reconfigured").map(\.sentence) == ["Reloaded the configuration: no group changed."])
        #expect(driver.reconfigure([same], alsoChanged: [same.name]) == [.configureGroup(same)])
        #expect(driver.logged("group-changed").map(\.sentence) == ["Group mysql-replica-01 runs with the reloaded settings: its DM or hook settings."])
    }

    @Test("A new instance is probed at once and has its own startup grace; the others keep theirs")
    func instanceAdded() throws {
        var driver = try Self.running()
        var changed = driver.settings
        changed.instances.append(InstanceSpec(address: .db9))
        driver.reconfigure([changed])
        driver.advance(by: .zero)
        #expect(driver.logged("group-changed").map(\.sentence) == ["Group mysql-replica-01 runs with the reloaded settings: instance db9:3306 added."])
        #expect(driver.status?.instances.map(\.address) == [.db1, .db2, .db3, .db9])
        #expect(driver.status?.instances.last?.lastProbeAt == driver.now, "probed in the same pass")
        #expect(driver.status?.startupGrace == .pending([StartupGrace.Shortfall(instance: .db9, probes: 1, needed: 2)]))
        driver.advance(by: .seconds(2))
        #expect(driver.status?.startupGrace == .over)
    }

    @Test("During a run the group keeps its settings; the reloaded ones apply when the run ends")
    func changeDuringRun() throws {
        var driver = try Self.inRun()
        let original = driver.settings
        let changed = try Self.preferringDB3(&driver)
        #expect(driver.reconfigure([changed]).isEmpty, "nothing changes under the run")
        #expect(driver.logged("group-change-deferred").map(\.sentence) == ["Group mysql-replica-01 is in the middle of run r-1: the reloaded settings (priority of db3:3306 0 → 10) apply when it ends."])
        #expect(driver.logged("reconfigured").map(\.sentence) == ["Reloaded the configuration: group mysql-replica-01 changed when the run in progress ends."])
        #expect(driver.core.groups[0].settings == original)
        #expect(driver.core.groups[0].run?.settings == original)
        driver.advance(by: .seconds(30))
        #expect(driver.runsFinished == [.completed])
        #expect(driver.shellChanges == [.configureGroup(changed)])
        #expect(driver.logged("group-changed").map(\.sentence) == ["The run of group mysql-replica-01 ended: it now runs with the reloaded settings: priority of db3:3306 0 → 10."])
        #expect(driver.core.groups[0].settings == changed)
        #expect(driver.status?.upstream == .db2, "the run's outcome stands")
    }

    @Test("A second reload during the run replaces the waiting settings; going back cancels them")
    func secondReloadDuringRun() throws {
        var driver = try Self.inRun()
        let original = driver.settings
        let changed = try Self.preferringDB3(&driver)
        driver.reconfigure([changed])
        driver.reconfigure([original])
        #expect(driver.core.groups[0].pendingSettings == nil)
        driver.advance(by: .seconds(30))
        #expect(driver.runsFinished == [.completed])
        #expect(driver.shellChanges.isEmpty)
        #expect(driver.core.groups[0].settings == original)
    }

    @Test("A group added is watched at once; a group removed between runs stops being watched")
    func addAndRemove() throws {
        var driver = try Self.running()
        var other = settings(repoint: .address, instances: [InstanceSpec(address: .db9)])
        other.name = "mysql-replica-02"
        #expect(driver.reconfigure([driver.settings, other]) == [.configureGroup(other)])
        #expect(driver.logged("group-added").map(\.sentence) == ["Group mysql-replica-02 is now watched: 1 instances, v2-address runbook."])
        driver.advance(by: .zero)
        #expect(driver.core.status(at: driver.now).groups.map(\.name) == ["mysql-replica-01", "mysql-replica-02"])
        #expect(driver.core.status(at: driver.now).groups[1].instances.first?.lastProbeAt == driver.now)
        driver.command(.hold(.group("mysql-replica-02"), reason: "new", owner: "alice", until: nil), id: 1)
        #expect(driver.reconfigure([driver.settings]) == [.removeGroup("mysql-replica-02")])
        #expect(driver.logged("group-removed").map(\.sentence) == ["Group mysql-replica-02 is no longer configured: it is no longer watched."])
        #expect(driver.core.status(at: driver.now).groups.map(\.name) == ["mysql-replica-01"])
        driver.advance(by: .seconds(10))
        #expect(driver.core.holds.map(\.scope) == [.group("mysql-replica-02")], "a hold outlives the group, as it does a restart")
    }

    @Test("A group removed during its run is watched until the run ends, then dropped")
    func removeDuringRun() throws {
        var driver = try Self.inRun()
        #expect(driver.reconfigure([]).isEmpty)
        #expect(driver.logged("group-removal-deferred").map(\.sentence) == ["Group mysql-replica-01 is no longer configured, but run r-1 is in progress: it is watched until the run ends."])
        #expect(driver.core.status(at: driver.now).groups.count == 1)
        driver.advance(by: .seconds(30))
        #expect(driver.runsFinished == [.completed])
        #expect(driver.shellChanges == [.removeGroup("mysql-replica-01")])
        #expect(driver.core.status(at: driver.now).groups.isEmpty)
        #expect(driver.core.nextWakeUp == nil)
    }

    @Test("Turning automatic failover on while the upstream is down starts the failover")
    func automaticTurnedOn() throws {
        var manual = RunDriver.groupSettings(.v2VIP)
        manual.automatic = false
        var driver = try SupervisorTests.running(settings: manual)
        SupervisorTests.kill(.db1, in: &driver.world)
        driver.advance(by: .seconds(30))
        #expect(driver.runsStarted.isEmpty)
        var automatic = manual
        automatic.automatic = true
        driver.reconfigure([automatic])
        driver.advance(by: .seconds(30))
        #expect(driver.runsStarted.map(\.to) == [.db2])
    }
}
