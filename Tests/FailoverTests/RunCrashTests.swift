import Testing
@testable import Failover

/// Kill the daemon before any action of a run (after any intent or outcome is on disk, or
/// after a step was performed but before its outcome was written), replay the journal, and let
/// the rebuilt machine finish: the run must end exactly once, the same way as without the
/// crash, and no step may ever be performed while its effect is already there.
@Suite("Run machine: every crash point, then replay")
struct RunCrashTests {
    @Test("Crash before any action, replay, and the run ends exactly once as without the crash", arguments: Scenario.all)
    func singleCrash(_ scenario: Scenario) throws {
        var clean = try scenario.driver()
        let stop = clean.run()
        #expect(stop == .finished)
        let expected = try #require(clean.machine.outcome)
        for point in 0..<clean.actionCount {
            var driver = try scenario.driver(checkEncoding: false)
            let stop = driver.run(crashBefore: { count, _ in count == point })
            #expect(stop == .crashed)
            try finishAfterRestart(&driver, scenario: scenario, point: "crash before action \(point)", expected: expected, clean: clean)
        }
    }

    @Test("Crash twice (the resumed run crashes too), and the run still ends exactly once", arguments: Scenario.all)
    func doubleCrash(_ scenario: Scenario) throws {
        var clean = try scenario.driver()
        clean.run()
        let expected = try #require(clean.machine.outcome)
        for point in stride(from: 1, to: clean.actionCount, by: 3) {
            var driver = try scenario.driver(checkEncoding: false)
            driver.run(crashBefore: { count, _ in count == point })
            guard driver.restart() else { continue }
            let firstLife = driver.actionCount
            let stop = driver.run(crashBefore: { count, _ in count - firstLife == point })
            if stop == .crashed {
                try finishAfterRestart(&driver, scenario: scenario, point: "second crash after \(point)", expected: expected, clean: clean)
            } else {
                #expect(driver.finishes.count == 1)
            }
        }
    }

    private func finishAfterRestart(_ driver: inout RunDriver, scenario: Scenario, point: String, expected: RunOutcome, clean: RunDriver) throws {
        guard driver.restart() else {
            if driver.finishes.isEmpty {
                #expect(driver.journal.isEmpty, "\(point): no unfinished run, no finish: the run was never journaled")
                #expect(driver.world.performed.isEmpty, "\(point): nothing was performed before the run was journaled")
            } else {
                #expect(driver.finishes == [expected], "\(point): the crash came after the finish")
                #expect(WorldSnapshot(driver.world) == WorldSnapshot(clean.world), "\(point)")
            }
            return
        }
        let stop = driver.run()
        #expect(stop == .finished, "\(point)")
        #expect(driver.finishes.count == 1, "\(point): the run finished exactly once")
        #expect(driver.machine.outcome == expected, "\(point)")
        #expect(driver.world.blindRepeats.isEmpty, "\(point): performed although already done: \(driver.world.blindRepeats)")
        #expect(WorldSnapshot(driver.world) == WorldSnapshot(clean.world), "\(point): DM ends as without the crash")
        let unknown = driver.transitions.filter { !RunTransition.keys.contains($0) }
        #expect(unknown.isEmpty, "\(point): transitions not in the table: \(unknown)")
    }

    @Test("A crash right after the last step resumes into the finish only")
    func crashBeforeFinish() throws {
        var driver = try Scenario.all[0].driver()
        driver.run(crashBefore: { _, action in
            if case .persist(.runFinished) = action { return true }
            return false
        })
        let performed = driver.world.performed
        let restarted = driver.restart()
        #expect(restarted)
        let stop = driver.run()
        #expect(stop == .finished)
        #expect(driver.machine.trace == [RunTransition.Key(from: .starting, on: .start, to: .finished)])
        #expect(driver.world.performed == performed)
        #expect(driver.finishes == [.completed])
    }

    @Test("A step with an intent but no outcome is verified before it is redone or skipped")
    func unfinishedStepVerified() throws {
        var driver = try Scenario.all[0].driver()
        var moved = false
        driver.run(crashBefore: { _, action in
            if case .execute(_, .moveVIP, _) = action { moved = true }
            if moved, case .gather = action { return true }
            return false
        })
        #expect(driver.world.vipTarget == .db2, "the VIP moved, its outcome was not written")
        let restarted = driver.restart()
        #expect(restarted)
        driver.run()
        #expect(driver.world.count(.moveVIP(from: .db1, to: .db2)) == 1, "not moved again")
        #expect(driver.logs.contains { $0.code == "unfinished-step" && $0.sentence == "Step 6 of 10 (move-vip) has an intent without an outcome: verifying DM's state before deciding to redo or skip it." })
        #expect(driver.machine.outcome == .completed)
    }
}
