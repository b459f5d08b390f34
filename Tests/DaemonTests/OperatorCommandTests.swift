import Foundation
import Glibc
import Posix
import Sandbox
import Testing

extension DeploymentSuites {
    /// The operator's commands against a running dmswitchd: hold, release, check, switchover,
    /// history, and who may use them at all.
    @Suite("dmswitchctl against a running dmswitchd", .serialized)
    struct OperatorCommandTests {
        @Test("hold blocks a failover that otherwise happens, release lets it run to the end, history shows it")
        func holdAndRelease() async throws {
            let lab = try await DeploymentLab.start(LabOptions(scenario: .vip))
            defer { lab.shutdown() }
            try await lab.startWatching()
            #expect(try lab.ctl(["hold", lab.group, "--reason", "DM upgrade"]).contains("held"))

            try await lab.sandbox.kill(1)
            try await lab.sandbox.promote(2)
            #expect(await lab.waitForDecision("upstream-down"), "\(lab.decisionLog())")
            #expect(await lab.waitForDecision("failover-blocked"), "\(lab.decisionLog())")
            let blocked = try #require(lab.decisions(code: "failover-blocked").first)
            #expect(blocked.contains("No automatic failover starts: Group \(lab.group) is held (operator) by root: DM upgrade"), "\(blocked)")
            // A few more probe rounds: still nothing happens to DM.
            try await Task.sleep(for: .seconds(3))
            #expect(lab.decisions(code: "run-started").isEmpty, "\(lab.decisionLog())")
            #expect(try await lab.sandbox.vipTarget() == 1, "the VIP moved although the group is held")
            let held = try lab.groupStatus()
            #expect((held["hold"] as? [String: Any])?["reason"] as? String == "DM upgrade")
            #expect(held["upstream"] as? String == "db1")

            #expect(try lab.ctl(["release", lab.group]).contains("released"))
            #expect(await lab.waitForDecision("run-completed", timeout: .seconds(60)), "\(lab.decisionLog())")
            #expect(try await lab.sandbox.vipTarget() == 2)
            #expect(try lab.groupStatus()["upstream"] as? String == "db2")
            #expect(try await lab.consistency().isExact)
            #expect(try lab.violations().isEmpty)

            let history = try jsonObject(try lab.ctl(["--json", "history", lab.group]))
            let runs = try #require(history["runs"] as? [[String: Any]])
            let run = try #require(runs.first)
            #expect(runs.count == 1)
            #expect(run["kind"] as? String == "failover")
            #expect(run["from"] as? String == "db1" && run["to"] as? String == "db2")
            #expect((run["outcome"] as? String)?.contains("completed") == true, "\(run)")
            let steps = try #require(run["steps"] as? [[String: Any]])
            #expect(steps.map { $0["name"] as? String } == [
                "query-status", "check", "pause-task", "recheck", "move-vip", "verify-identity-through-vip", "resume-task", "verify-running",
            ])
            #expect(steps.allSatisfy { ($0["outcome"] as? String)?.hasPrefix("succeeded") == true }, "\(steps)")
            let text = try lab.ctl(["history", lab.group])
            #expect(text.contains(try #require(run["id"] as? String)), "\(text)")
        }

        @Test("check shows a verdict for every candidate and the runbook; switchover moves DM with nothing lost; history shows it")
        func checkAndSwitchover() async throws {
            let lab = try await DeploymentLab.start(LabOptions(scenario: .vip))
            defer { lab.shutdown() }
            try await lab.startWatching()

            let text = try lab.ctl(["check", lab.group])
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.first == "Group \(lab.group): a switch now would choose db2.", "\(text)")
            #expect(lines.dropFirst().first?.hasPrefix("  Upstream ") == true, "the upstream's verdict comes first: \(text)")
            let runbookAt = try #require(lines.firstIndex(of: "Runbook:"), "\(text)")
            #expect(Array(lines[(runbookAt + 1)...].prefix(3)) == [
                "  1. Read DM's checkpoints with query-status.", "  2. Check the candidate against DM's checkpoints.", "  3. Pause task orders.",
            ], "\(text)")
            for name in ["db1", "db2", "db3"] {
                #expect(lines.contains { $0.hasPrefix("  \(name) ") }, "no table row for \(name): \(text)")
            }
            let report = try jsonObject(try lab.ctl(["--json", "check", lab.group]))
            #expect(report["chosen"] as? String == "db2")
            let list = try #require(report["verdicts"] as? [[String: Any]])
            let verdicts = Dictionary(list.compactMap { verdict in (verdict["instance"] as? String).map { ($0, verdict) } }, uniquingKeysWith: { first, _ in first })
            #expect(verdicts.keys.sorted() == ["db1", "db2", "db3"], "a verdict for every instance: \(list)")
            #expect(verdicts["db1"]?["eligible"] as? Bool == false)
            #expect((verdicts["db1"]?["reasons"] as? [String])?.first?.hasSuffix("is the current upstream.") == true, "\(list)")
            #expect(verdicts["db2"]?["eligible"] as? Bool == true && verdicts["db3"]?["eligible"] as? Bool == true, "\(list)")
            let runbook = try #require(report["runbook"] as? [String])
            #expect(runbook.contains { $0.contains("Move the VIP") }, "\(runbook)")

            // A quick switchover while the application writes (longer loads are the end-to-end
            // suite's): the target is judged on a probe taken after DM's checkpoint was read.
            let writer = try ContinuousWriter(directory: lab.sandbox.directory, options: .init(rate: 200))
            let writing = Task.detached { try writer.run() }
            try await Task.sleep(for: .seconds(1))
            let started = try lab.ctl(["switchover", lab.group, "--to", "db3", "--yes"])
            #expect(started.contains("started"), "\(started)")
            #expect(await lab.waitForDecision("run-completed", timeout: .seconds(60)), "\(lab.decisionLog())")
            try await Task.sleep(for: .seconds(1))
            writer.stop()
            let summary = try await writing.value
            #expect(summary.acknowledged.count > 100, "\(summary)")
            let consistency = try await lab.consistency(acknowledged: summary.acknowledged)
            #expect(consistency.isExact, "\(consistency)")
            #expect(try lab.violations().isEmpty)
            #expect(try await lab.sandbox.vipTarget() == 3)

            let history = try jsonObject(try lab.ctl(["--json", "history", lab.group]))
            let run = try #require((history["runs"] as? [[String: Any]])?.first)
            #expect(run["kind"] as? String == "switchover")
            #expect(run["to"] as? String == "db3")
            #expect((run["outcome"] as? String)?.contains("completed") == true, "\(run)")
        }

        @Test("A user who is neither root nor in the control group is refused, and the refusal is logged")
        func unauthorizedUser() async throws {
            let lab = try await DeploymentLab.start(LabOptions(scenario: .vip))
            defer { lab.shutdown() }
            try await lab.startDaemon()
            let dmswitchctl = try ProductLocator.path(of: "dmswitchctl")
            let outsider = {
                try Subprocess.run(.init(
                    executable: "/usr/bin/setpriv",
                    arguments: ["--reuid=65534", "--regid=65534", "--clear-groups", dmswitchctl, "--socket", lab.controlSocket, "hold", lab.group, "--reason", "not mine"],
                    deadline: .seconds(30)))
            }
            // The socket file (0660, group root) keeps the outsider out before the daemon is asked.
            let locked = try outsider()
            #expect(locked.status != .exited(0))
            #expect(locked.stderr.lowercased().contains("permission"), "\(locked.stderr)")

            // With the file opened to everyone, the daemon's own check refuses, and says so in the log.
            for directory in [lab.sandbox.directory, lab.directory, lab.directory + "/run"] { chmod(directory, 0o711) }
            chmod(lab.controlSocket, 0o666)
            let refused = try outsider()
            #expect(refused.status == .exited(1), "\(refused.status) \(refused.stderr)")
            #expect(refused.stderr.contains("may not use the dmswitchd control socket"), "\(refused.stderr)")
            #expect(await lab.waitForLog("Refused control request hold from"), "\(lab.decisionLog())")
            #expect(lab.logLines(containing: "Refused control request hold from").allSatisfy { $0.contains("65534") && $0.contains("WARNING") })
            #expect(try lab.groupStatus()["hold"] == nil, "the refused hold was placed")
        }
    }
}
