import Testing
@testable import Failover

@Suite("Replay: holds, cooldowns, upstreams and unfinished runs from the journal")
struct ReplayTests {
    @Test("Holds: one per scope and kind, replaced by a newer one, released per scope")
    func holds() {
        let operatorHold = Hold(scope: .group("g"), kind: .operator, reason: "maintenance", owner: "alice", placedAt: t0)
        let newer = Hold(scope: .group("g"), kind: .operator, reason: "longer maintenance", owner: "bob", placedAt: t0 + .seconds(1))
        let safety = Hold(scope: .group("g"), kind: .safety, reason: "run r1 failed after the repoint", owner: "dmswitchd", placedAt: t0)
        let global = Hold(scope: .global, kind: .operator, reason: "upgrade", owner: "carol", placedAt: t0, expiresAt: t0 + .seconds(60))
        var state = ReplayedState.replay([.holdPlaced(operatorHold), .holdPlaced(safety), .holdPlaced(newer), .holdPlaced(global)])
        #expect(state.holds == [safety, newer, global])
        #expect(state.activeHolds(at: t0 + .seconds(61)) == [safety, newer])
        state.apply(.holdReleased(scope: .group("g"), kind: .operator, by: "expiry", at: t0))
        #expect(state.holds == [safety, global], "an expiry lifts only its own kind")
        state.apply(.holdReleased(scope: .group("g"), kind: nil, by: "alice", at: t0))
        #expect(state.holds == [global])
    }

    @Test("A cooldown lasts until acknowledged; the last learned upstream wins")
    func cooldownsAndUpstreams() {
        let cooldown = Cooldown(group: "g", run: RunID("r1"), until: t0 + .seconds(3600))
        var state = ReplayedState.replay([.cooldownStarted(cooldown, at: t0), .upstreamLearned(group: "g", instance: .db1, at: t0), .upstreamLearned(group: "g", instance: .db2, at: t0)])
        #expect(state.cooldowns["g"] == cooldown)
        #expect(state.upstreams["g"] == .db2)
        state.apply(.acknowledged(group: "g", by: "alice", at: t0))
        #expect(state.cooldowns["g"] == nil)
    }

    @Test("A run without a finish is unfinished, with the last record of each step")
    func unfinishedRun() throws {
        let header = JournalCodecTests.header
        let step = { (index: Int, attempt: Int) in StepRecord(run: header.id, stage: .forward, index: index, step: header.steps[index], attempt: attempt, at: t0) }
        let state = ReplayedState.replay([
            .runStarted(header),
            .stepIntent(step(0, 1)), .stepOutcome(step(0, 1), .succeeded, detail: ""),
            .stepOutcome(step(2, 1), .alreadyDone, detail: ""),
            .stepIntent(step(3, 1)), .stepOutcome(step(3, 1), .failed("x", retryAt: t0), detail: ""), .stepIntent(step(3, 2)),
        ])
        let run = try #require(state.unfinishedRuns.first)
        #expect(run.forward[0] == StepProgress(attempt: 1, result: .succeeded, intended: true))
        #expect(run.forward[2] == StepProgress(attempt: 1, result: .alreadyDone, intended: false))
        #expect(run.forward[3] == StepProgress(attempt: 2, result: nil, intended: true))
        #expect(run.aborting == nil)
    }

    @Test("A finished run is gone; records of unknown runs are noted, not applied")
    func finishedAndOrphans() {
        let header = JournalCodecTests.header
        let orphan = StepRecord(run: RunID("ghost"), stage: .forward, index: 0, step: .queryStatus, attempt: 1, at: t0)
        let state = ReplayedState.replay([.runStarted(header), .runFinished(run: header.id, outcome: .completed, at: t0), .stepIntent(orphan)])
        #expect(state.unfinishedRuns.isEmpty)
        #expect(state.finishedRuns[header.id] == .completed)
        #expect(state.notes == ["The journal has a step intent for run ghost without its start; it is ignored."])
    }

    @Test("Replaying the same policy records twice changes nothing")
    func idempotent() {
        let records: [JournalRecord] = [
            .holdPlaced(Hold(scope: .global, kind: .operator, reason: "r", owner: "o", placedAt: t0)),
            .cooldownStarted(Cooldown(group: "g", run: RunID("r1"), until: t0 + .seconds(60)), at: t0),
            .upstreamLearned(group: "g", instance: .db2, at: t0),
        ]
        #expect(ReplayedState.replay(records + records) == ReplayedState.replay(records))
    }
}
