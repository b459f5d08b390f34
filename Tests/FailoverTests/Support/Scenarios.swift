import GTID
import Testing
@testable import Failover

/// A run scenario: a runbook, a kind of run, and how the world misbehaves.
struct Scenario: Sendable, CustomTestStringConvertible {
    var name: String
    var kind: RunbookKind
    var run: RunKind
    var setup: @Sendable (inout FakeWorld) -> Void

    var testDescription: String { "\(kind.rawValue) \(run.rawValue): \(name)" }

    func driver(checkEncoding: Bool = true) throws -> RunDriver {
        var world = try FakeWorld.standard(kind, upstreamHealthy: run == .switchover)
        setup(&world)
        var driver = RunDriver.fresh(kind, world: world, runKind: run)
        driver.checkEncoding = checkEncoding
        return driver
    }

    /// DM's checkpoint moves past the candidate when the tasks are paused (pausing flushes).
    static let checkpointMovesOnPause: @Sendable (inout FakeWorld) -> Void = { world in
        world.afterStep = { step, world in
            guard case .pauseTask = step, let moved = try? mysql("\(UUID.a):1-130") else { return }
            for index in world.tasks.indices {
                if world.tasks[index].relayGTID != nil { world.tasks[index].relayGTID = moved }
                if world.tasks[index].syncerGTID?.isEmpty == false { world.tasks[index].syncerGTID = moved }
            }
        }
    }

    /// The four ways a run ends, for every runbook.
    static let all: [Scenario] = RunbookKind.allCases.flatMap { kind -> [Scenario] in
        let taskAfterRepoint: StepKind = (kind == .v2VIP || kind == .v1VIP) ? .resumeTask("orders") : .startTask(name: "orders", file: "tasks/orders.yaml")
        return [
            Scenario(name: "completes", kind: kind, run: .failover, setup: { _ in }),
            Scenario(name: "re-check refused, tasks given back", kind: kind, run: .switchover, setup: checkpointMovesOnPause),
            Scenario(name: "re-check refused, tasks left paused", kind: kind, run: .failover, setup: checkpointMovesOnPause),
            Scenario(name: "a task fails after the repoint", kind: kind, run: .failover, setup: { $0.failing[taskAfterRepoint] = 99 }),
        ]
    }
}

/// The parts of the world a run changes, for comparing two runs.
struct WorldSnapshot: Equatable {
    var tasks: [TaskStatus]
    var source: SourceStatus?
    var vipTarget: InstanceAddress
    var savedSourceAddress: InstanceAddress
    var inventoryAddress: InstanceAddress

    init(_ world: FakeWorld) {
        tasks = world.tasks.sorted { $0.name < $1.name }
        source = world.source
        vipTarget = world.vipTarget
        savedSourceAddress = world.savedSourceAddress
        inventoryAddress = world.inventoryAddress
    }
}
