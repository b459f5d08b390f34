import Foundation
import Sandbox
import Testing

@Suite("dmswitchd on a real deployment", .serialized)
struct LabSmokeTests {
    @Test("A killed upstream under writes: DM moves to the promoted replica through the VIP, nothing lost")
    func vipFailover() async throws {
        let lab = try await DeploymentLab.start(LabOptions(scenario: .vip))
        defer { lab.shutdown() }
        try await lab.startDaemon()
        #expect(await lab.waitForDecision("upstream-healthy"))
        let writer = try ContinuousWriter(directory: lab.sandbox.directory, options: .init(rate: 250))
        let writing = Task { try await onOwnThread("writer") { try writer.run() } }
        try await Task.sleep(for: .seconds(2))
        try await lab.sandbox.kill(1)
        try await lab.sandbox.promote(2)
        #expect(await lab.waitForDecision("run-completed", timeout: .seconds(90)), "\(lab.decisionLog())")
        try await Task.sleep(for: .seconds(2))
        writer.stop()
        let summary = try await writing.value
        let consistency = try await lab.consistency(acknowledged: summary.acknowledged)
        #expect(consistency.isExact, "\(consistency)")
        #expect(try lab.violations().isEmpty)
    }
}
