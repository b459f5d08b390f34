import GTID
import Testing
@testable import Failover

@Suite("Run machine: the transition table")
struct RunTransitionTests {
    @Test("Every phase is reachable from the start, and the finish from every phase")
    func reachability() {
        var reached: Set<RunPhase> = [.starting]
        var frontier: [RunPhase] = [.starting]
        while let phase = frontier.popLast() {
            for row in RunTransition.table where row.from == phase && !reached.contains(row.to) {
                reached.insert(row.to)
                frontier.append(row.to)
            }
        }
        #expect(reached == Set(RunPhase.allCases))
        for phase in RunPhase.allCases where phase != .finished {
            var seen: Set<RunPhase> = [phase]
            var todo = [phase]
            while let next = todo.popLast() {
                for row in RunTransition.table where row.from == next && seen.insert(row.to).inserted { todo.append(row.to) }
            }
            #expect(seen.contains(.finished), "\(phase) can finish")
        }
        #expect(!RunTransition.table.contains { $0.from == .finished }, "finished is final")
        #expect(RunTransition.keys.count == RunTransition.table.count, "no duplicate rows")
        #expect(RunTransition.table.allSatisfy { !$0.why.isEmpty })
    }

    @Test("The table prints one reviewable line per row")
    func printable() {
        let first = RunTransition.table[0].description
        #expect(first == "starting --start--> verifyingPrecondition: The step changes something: first ask whether it is already done (never repeat blindly).")
    }

    @Test("Every transition taken is a row of the table, and every row is taken by some scenario")
    func coverage() throws {
        var taken: Set<RunTransition.Key> = []
        func drive(_ driver: inout RunDriver, journalFailsAt: Int? = nil) {
            driver.run(journalFailsAt: journalFailsAt)
            taken.formUnion(driver.transitions)
        }
        for kind in RunbookKind.allCases {
            for run in [RunKind.failover, .switchover] {
                let steps = try RunDriver.fresh(kind, world: FakeWorld.standard(kind)).machine.header.steps
                for step in steps {
                    for knob in 0..<4 {
                        var world = try FakeWorld.standard(kind, upstreamHealthy: run == .switchover)
                        switch knob {
                        case 0: if step.isReadOnly { world.unreadable[step] = 3 } else { world.failing[step] = 3 }
                        case 1: world.unreadable[step] = 3
                        case 2: world.withoutEffect[step] = 3
                        default: if step.isReadOnly { world.unreadable[step] = 1 } else { world.failingAfterEffect[step] = 1 }
                        }
                        var driver = RunDriver.fresh(kind, world: world, runKind: run)
                        driver.checkEncoding = false
                        drive(&driver)
                    }
                }
            }
        }
        // Phases and rows do not depend on the runbook: crash and journal failures at every
        // point of the v2+ VIP scenarios reach the rows only a restart or a failed write takes.
        for scenario in Scenario.all where scenario.kind == .v2VIP {
            var clean = try scenario.driver(checkEncoding: false)
            drive(&clean)
            for point in 0..<clean.actionCount {
                var failing = try scenario.driver(checkEncoding: false)
                drive(&failing, journalFailsAt: point)
                var crashed = try scenario.driver(checkEncoding: false)
                crashed.run(crashBefore: { count, _ in count == point })
                if crashed.restart() { drive(&crashed) }
            }
        }
        var waiting = try FakeWorld.standard(.v2VIP)
        waiting.instances[.db2] = state("id-db2", e: try mysql("\(UUID.a):1-90"), replicatingFrom: .db1, io: .connecting, received: try mysql("\(UUID.a):1-100"))
        var catchUp = RunDriver.fresh(.v2VIP, world: waiting)
        catchUp.checkEncoding = false
        drive(&catchUp)
        for point in 0..<catchUp.actionCount {
            var failing = RunDriver.fresh(.v2VIP, world: waiting)
            failing.checkEncoding = false
            drive(&failing, journalFailsAt: point)
        }
        var alreadyPaused = try FakeWorld.standard(.v2VIP)
        alreadyPaused.tasks[1].stage = .paused
        var paused = RunDriver.fresh(.v2VIP, world: alreadyPaused)
        drive(&paused)

        let unknown = taken.subtracting(RunTransition.keys)
        #expect(unknown.isEmpty, "transitions not in the table: \(unknown)")
        let untaken = RunTransition.table.filter { !taken.contains($0.key) }.map(\.description)
        #expect(untaken.isEmpty, "rows no scenario takes:\n\(untaken.joined(separator: "\n"))")
    }
}
