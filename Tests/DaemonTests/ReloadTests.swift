import Foundation
import Glibc
import Sandbox
import Testing

extension DeploymentSuites {
    /// Reloading dmswitch.toml while dmswitchd runs: SIGHUP and `dmswitchctl reload`.
    @Suite("Reloading dmswitchd's configuration", .serialized)
    struct ReloadTests {
        /// The configuration text with the instances' blocks edited: a name maps to
        /// its priority in `priorities` (nil leaves the instance out).
        static func configuration(_ text: String, priorities: [String: Int?]) -> String {
            let blocks = text.components(separatedBy: "\n[[group.instance]]\n")
            var out = blocks[0]
            for block in blocks.dropFirst() {
                guard let name = block.split(separator: "\n").first.map({ $0.replacingOccurrences(of: "name = ", with: "").replacingOccurrences(of: "\"", with: "") }),
                      let wanted = priorities[name] else {
                    out += "\n[[group.instance]]\n" + block
                    continue
                }
                guard let priority = wanted else { continue }
                let edited = block.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    line.hasPrefix("priority = ") ? "priority = \(priority)" : String(line)
                }.joined(separator: "\n")
                out += "\n[[group.instance]]\n" + edited
            }
            return out
        }

        static func instanceNames(_ lab: DeploymentLab) throws -> [String] {
            try #require(try lab.groupStatus()["instances"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        }

        static func chosen(_ lab: DeploymentLab) throws -> String? {
            try jsonObject(try lab.ctl(["--json", "check", lab.group]))["chosen"] as? String
        }

        @Test("An instance added and priorities changed apply at once; a broken file keeps the running configuration; restart-only keys wait")
        func reloadWhileIdle() async throws {
            let lab = try await DeploymentLab.start(LabOptions(scenario: .vip))
            defer { lab.shutdown() }
            let full = try String(contentsOfFile: lab.configPath, encoding: .utf8)
            try lab.editConfiguration { Self.configuration($0, priorities: ["db3": Int?.none]) }
            try await lab.startWatching()
            #expect(try Self.instanceNames(lab) == ["db1", "db2"])
            #expect(try Self.chosen(lab) == "db2")

            // SIGHUP: db3 comes back, preferred.
            try Self.configuration(full, priorities: ["db3": 20]).write(toFile: lab.configPath, atomically: true, encoding: .utf8)
            lab.signalDaemon(SIGHUP)
            #expect(await lab.waitForLog("Reloaded the configuration file="), "\(lab.decisionLog())")
            let db3 = lab.sandbox.instances[2]
            #expect(!lab.logLines(containing: "runs with the reloaded settings: instance \(db3.host):\(db3.port) added.").isEmpty, "\(lab.decisionLog())")
            #expect(try Self.instanceNames(lab) == ["db1", "db2", "db3"])
            #expect(try await eventually { try Self.chosen(lab) == "db3" }, "check does not prefer the new instance")
            #expect(lab.decisions(code: "upstream-learned").count == 1, "the reload made dmswitchd forget what it knew")

            // dmswitchctl reload: a priority change, with the daemon's answer.
            try Self.configuration(full, priorities: [:]).write(toFile: lab.configPath, atomically: true, encoding: .utf8)
            let answer = try lab.ctl(["reload"])
            #expect(answer.contains("Reloaded the configuration: group \(lab.group) changed."), "\(answer)")
            #expect(try Self.chosen(lab) == "db2")

            // A broken file: SIGHUP and reload both keep the running configuration and say why.
            try "[daemon\nstate-dir = 1\n".write(toFile: lab.configPath, atomically: true, encoding: .utf8)
            lab.signalDaemon(SIGHUP)
            #expect(await lab.waitForLog("The reloaded configuration has problems; keeping the running one"), "\(lab.decisionLog())")
            let refused = try lab.dmswitchctl(["reload"])
            #expect(refused.status == .exited(1))
            #expect(refused.stderr.contains("has problems; the running configuration stays"), "\(refused.stderr)")
            #expect(try Self.instanceNames(lab) == ["db1", "db2", "db3"])
            #expect(try Self.chosen(lab) == "db2")

            // A valid file with a part that cannot be prepared (DM's work directory) is refused as
            // a whole: db3's new priority in the same file is not applied either.
            try Self.configuration(full, priorities: ["db3": 30])
                .replacingOccurrences(of: "work-dir = \"\(lab.directory)/dm\"", with: "work-dir = \"/proc/dmswitch-work\"")
                .write(toFile: lab.configPath, atomically: true, encoding: .utf8)
            let unusable = try lab.dmswitchctl(["reload"])
            #expect(unusable.status == .exited(1))
            #expect(unusable.stderr.contains("cannot be applied; the running configuration stays: Could not create the directory /proc/dmswitch-work"), "\(unusable.stderr)")
            #expect(try Self.chosen(lab) == "db2")

            // Restart-only keys are named and keep their values; the log level changes live.
            let moved = full.replacingOccurrences(of: "control-socket = \"\(lab.controlSocket)\"", with: "control-socket = \"\(lab.directory)/run/other.sock\"")
                .replacingOccurrences(of: "[daemon]\n", with: "[daemon]\nlog-level = \"debug\"\n")
            try moved.write(toFile: lab.configPath, atomically: true, encoding: .utf8)
            let partly = try lab.ctl(["reload"])
            #expect(partly.contains("need a restart") && partly.contains("[daemon] control-socket"), "\(partly)")
            try lab.ctl(["status"])
            #expect(await lab.waitForLog("DEBUG   Control request status from"), "log-level = debug did not apply: \(lab.decisionLog())")
            #expect(!FileManager.default.fileExists(atPath: "\(lab.directory)/run/other.sock"))
        }

        @Test("A reload during a run: the run finishes with the settings it started with, the new ones apply when it ends")
        func reloadDuringRun() async throws {
            let lab = try await DeploymentLab.start(LabOptions(scenario: .vip))
            defer { lab.shutdown() }
            let fast = try lab.slowDownVIPHook()
            try await lab.startWatching()

            try lab.ctl(["switchover", lab.group, "--to", "db2", "--yes"])
            #expect(await eventually { lab.decisions(code: "step-intent").contains { $0.contains("step=move-vip") } }, "\(lab.decisionLog())")
            // Mid-run: the fast hook again, and db3 preferred.
            try Self.configuration(fast, priorities: ["db3": 20]).write(toFile: lab.configPath, atomically: true, encoding: .utf8)
            let answer = try lab.ctl(["reload"])
            #expect(answer.contains("changed when the run in progress ends"), "\(answer)")
            #expect(lab.decisions(code: "group-change-deferred").count == 1, "\(lab.decisionLog())")
            #expect(lab.decisions(code: "group-changed").isEmpty, "the settings changed under the run")

            #expect(await lab.waitForDecision("run-completed"), "\(lab.decisionLog())")
            #expect(await lab.waitForDecision("group-changed"), "\(lab.decisionLog())")
            let log = lab.decisionLog()
            let completed = try #require(log.range(of: "code=run-completed"))
            let changed = try #require(log.range(of: "code=group-changed"))
            #expect(completed.lowerBound < changed.lowerBound)
            #expect(try await lab.sandbox.vipTarget() == 2)
            #expect(try Self.chosen(lab) == "db3")

            // The new (fast) hook is the one the next run uses.
            let started = ContinuousClock.now
            try lab.ctl(["switchover", lab.group, "--to", "db3", "--yes"])
            #expect(await lab.waitForDecision("run-completed", count: 2), "\(lab.decisionLog())")
            #expect(ContinuousClock.now - started < .seconds(3), "the run still used the slow hook")
            #expect(try await lab.sandbox.vipTarget() == 3)
            #expect(try lab.violations().isEmpty)
        }
    }
}
