import Foundation
import Sandbox
import Testing

extension DeploymentSuites.EndToEnd {
    /// An upstream that hangs instead of dying: connections are accepted by the
    /// kernel and never answered.
    @Suite("A hung upstream")
    struct HungUpstreamTests {
        @Test("SIGSTOP of the upstream: probes time out, the replicas' IO threads confirm it, DM is switched, nothing lost")
        func hungUpstream() async throws {
            try await EndToEnd.withWritingLab(EndToEnd.options()) { lab, writer in
                try await lab.sandbox.stop(1)
                // The replicas give up on the silent primary after slave_net_timeout (3 s in
                // the sandbox); only then may dmswitchd call it down.
                #expect(await lab.waitForDecision("upstream-down", timeout: .seconds(30)), "\(lab.logTail)")
                let down = lab.decisions(code: "upstream-down").first ?? ""
                #expect(down.contains("timed out"), "the probes of a hung server time out: \(down)")
                #expect(down.contains("cannot reach it either"), "the replicas confirm it: \(down)")
                // The group's HA tool promotes db2 while dmswitchd moves DM.
                try await lab.sandbox.promote(2)
                #expect(await lab.waitForDecision("run-completed", timeout: .seconds(60)), "\(lab.logTail)")
                #expect(await writer.waitForMoreRows(200), "no writes reached the new primary: \(writer.writer.summary)")

                try await EndToEnd.expectNothingLost(lab, writer)
                try EndToEnd.expectOneCompletedRun(lab, to: 2)
            }
        }
    }
}
