import Testing
@testable import Failover

/// `nextWakeUp` tells the shell how long it may sleep; an instant in the past makes it tick in a
/// busy loop, so nothing that `tick` cannot act on yet may count.
@Suite("Wake-ups: the core never asks for a tick it cannot act on")
struct WakeUpTests {
    @Test("A probe slower than the interval (a hung server) wakes the shell at its deadline, not at the missed interval")
    func slowProbe() {
        let target = ProbeTarget(group: "g", address: .db1)
        var schedule = ProbeSchedule(targets: [target], interval: .seconds(1), timeout: .seconds(1), at: t0)
        #expect(schedule.due(at: t0).count == 1)
        #expect(schedule.due(at: t0 + .milliseconds(1500)).isEmpty, "the probe is still out")
        #expect(schedule.nextWakeUp == t0 + .seconds(2), "the outstanding probe's deadline")
        #expect(schedule.expired(at: t0 + .seconds(2)) == [target])
        #expect(schedule.nextWakeUp == t0 + .seconds(1), "once it timed out the target is due again")
    }

    @Test("A DM query slower than the status interval wakes the shell at its deadline or the next probe")
    func slowDMQuery() throws {
        let group = settings(detection: DetectionSettings(probeInterval: .seconds(2), probeTimeout: .seconds(1)))
        var core = SupervisorCore(groups: [group], replayed: ReplayedState(), runIDPrefix: "r", at: t0)
        let started = core.start(at: t0)
        #expect(started.contains { if case .queryDM = $0 { true } else { false } })
        // Nothing answers: DM's query stays out past the ten-second status interval.
        let now = t0 + .seconds(11)
        _ = core.tick(at: now)
        let wake = try #require(core.nextWakeUp)
        #expect(wake > now, "woke at \(wake), which is not after \(now)")
    }
}
