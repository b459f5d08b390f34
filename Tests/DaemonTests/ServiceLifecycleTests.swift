import Foundation
import Glibc
import Sandbox
import Testing

extension DeploymentSuites {
    /// dmswitchd as systemd runs it (`Type=notify`, `WatchdogSec=`), with the test playing
    /// systemd's side of sd_notify.
    @Suite("dmswitchd as a systemd service: notifications, signals, restarts", .serialized)
    struct ServiceLifecycleTests {
        @Test("READY=1 after the first probe round, STATUS= lines, watchdog pings; SIGHUP: RELOADING=1 then READY=1")
        func notifications() async throws {
            let lab = try await DeploymentLab.start(LabOptions(scenario: .vip))
            defer { lab.shutdown() }
            let notify = try NotifyReceiver(path: lab.directory + "/run/notify.sock")
            defer { notify.close() }
            try await lab.startDaemon(systemd: .init(notifySocket: notify.path, watchdog: .seconds(2)))

            #expect(await notify.waitFor("READY=1"), "no READY=1: \(notify.messages)")
            let ready = try #require(notify.messages(with: "READY=1").first)
            let upstream = "\(lab.sandbox.primary.host):\(lab.sandbox.primary.port)"
            #expect(ready.contains("STATUS=\(lab.group): \(upstream)"), "READY=1 came before the first probe round: \(ready)")
            let instances = try #require(try lab.groupStatus()["instances"] as? [[String: Any]])
            #expect(instances.count == 3)
            #expect(instances.allSatisfy { ($0["health"] as? String) == "up" }, "\(instances)")

            #expect(await notify.waitFor("WATCHDOG=1", count: 2, timeout: .seconds(10)), "fewer than two pings for WATCHDOG_USEC=2000000: \(notify.messages)")
            #expect(notify.messages.contains { $0.count == 1 && $0[0].hasPrefix("STATUS=\(lab.group): ") }, "no STATUS= line besides READY=1: \(notify.messages)")

            let before = notify.messages.count
            lab.signalDaemon(SIGHUP)
            #expect(await notify.waitFor("READY=1", count: 2), "no READY=1 after SIGHUP: \(notify.messages)")
            let afterHUP = Array(notify.messages.dropFirst(before))
            let reloading = try #require(afterHUP.firstIndex { $0.contains("RELOADING=1") }, "no RELOADING=1: \(afterHUP)")
            let readyAgain = try #require(afterHUP.firstIndex { $0.contains("READY=1") })
            #expect(reloading < readyAgain)
            #expect(afterHUP[reloading].contains { $0.hasPrefix("MONOTONIC_USEC=") })
            #expect(await lab.waitForLog("Reloaded the configuration"))
            #expect(!lab.logLines(containing: "summary=\"Reloaded the configuration: no group changed.\"").isEmpty, "\(lab.decisionLog())")

            #expect(lab.stopDaemon() == .exited(0))
            #expect(!notify.messages(with: "STOPPING=1").isEmpty, "no STOPPING=1: \(notify.messages)")
        }

        @Test("SIGTERM in the middle of a step: the step finishes, dmswitchd exits 0, and after a restart the run goes on; holds survive")
        func stopAtStepBoundary() async throws {
            let lab = try await DeploymentLab.start(LabOptions(scenario: .vip))
            defer { lab.shutdown() }
            // A VIP hook that takes three seconds, so the daemon is stopped while it runs.
            try lab.slowDownVIPHook()
            let notify = try NotifyReceiver(path: lab.directory + "/run/notify.sock")
            defer { notify.close() }
            try await lab.startWatching(systemd: .init(notifySocket: notify.path, watchdog: .seconds(2)))
            try lab.ctl(["hold", lab.group, "--reason", "maintenance window"])

            try lab.ctl(["switchover", lab.group, "--to", "db2", "--yes"])
            #expect(await eventually { lab.decisions(code: "step-intent").contains { $0.contains("step=move-vip") } }, "\(lab.decisionLog())")
            let stoppedAt = ContinuousClock.now
            #expect(lab.stopDaemon() == .exited(0))
            #expect(ContinuousClock.now - stoppedAt >= .seconds(1), "dmswitchd did not wait for the VIP hook")
            let log = lab.decisionLog()
            let stopping = try #require(log.range(of: "dmswitchd stops at the next step boundary signal=SIGTERM"), "\(log)")
            let moved = try #require(log.range(of: "(move-vip) succeeded"), "the step in flight did not finish: \(log)")
            let stopped = try #require(log.range(of: "dmswitchd stopped"), "\(log)")
            #expect(stopping.lowerBound < moved.lowerBound && moved.lowerBound < stopped.lowerBound)
            #expect(lab.decisions(code: "run-completed").isEmpty, "the run went on past the step boundary")
            // The watchdog kept being fed while the stop waited for the hook.
            let messages = notify.messages
            let stoppingAt = try #require(messages.firstIndex { $0.contains("STOPPING=1") }, "no STOPPING=1: \(messages)")
            #expect(messages[stoppingAt...].contains { $0.contains("WATCHDOG=1") }, "no watchdog ping while stopping: \(messages)")
            #expect(try await lab.sandbox.vipTarget() == 2)

            try await lab.startDaemon()
            #expect(await lab.waitForDecision("run-resumed"), "\(lab.decisionLog())")
            #expect(await lab.waitForDecision("run-completed"), "\(lab.decisionLog())")
            let status = try lab.groupStatus()
            let hold = try #require(status["hold"] as? [String: Any], "the hold did not survive the restart: \(status)")
            #expect(hold["reason"] as? String == "maintenance window")
            #expect(status["upstream"] as? String == "db2")
            let history = try jsonObject(try lab.ctl(["--json", "history", lab.group]))
            let runs = try #require(history["runs"] as? [[String: Any]])
            #expect(runs.count == 1, "one run, resumed rather than repeated: \(runs)")
            #expect(try lab.violations().isEmpty)
        }
    }
}
