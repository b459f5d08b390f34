import Control
import Foundation
import Posix
import Sandbox
import Synchronization

/// The demo's script: build the deployment, start dmswitchd, kill the upstream,
/// let dmswitchd move DM while the narration follows its decisions, then check
/// that the downstream has exactly what the application wrote.
///
/// Everything it starts is registered in `resources` as soon as it exists, so
/// the interrupt handler and the failure path can take it down.
struct DemoRun {
    let options: DemoOptions
    let terminal: Terminal
    let resources: DemoResources

    /// The killed instance and the one the group's HA tool promotes (priority 10 in the lab).
    static let killed = 1
    static let promoted = 2

    enum Verdict {
        case pass
        case fail(String)
    }

    func run() async throws(SandboxError) -> Verdict {
        terminal.line("dmswitch demo — \(options.title)", .bold)

        // 1. The deployment.
        terminal.phase(1, "The deployment")
        terminal.say("Starting a MariaDB group (db1 primary, db2 and db3 replicas by GTID), a downstream server, "
            + (options.scenario == .vip ? "HAProxy as the VIP, " : "") + "and dmsim playing DM \(options.dmVersion)…")
        let started = ContinuousClock.now
        let lab = try await DeploymentLab.start(LabOptions(scenario: options.scenario, dmVersion: options.dmVersion))
        resources.adopt(lab)
        terminal.say("Ready in \(seconds(.now - started)):")
        describe(lab)

        // 2. dmswitchd watches.
        terminal.phase(2, "dmswitchd watches the group")
        let timeline = DaemonTimeline()
        let narration = Narration(terminal: terminal, names: Self.names(lab), timeline: timeline)
        let follower = DaemonLogFollower(path: lab.daemonLog) { narration.handle($0) }
        resources.adopt(follower)
        follower.start()
        terminal.say("Starting dmswitchd --foreground; its lines are prefixed with \"dmswitchd │\".")
        try await lab.startDaemon()
        guard await timeline.wait(for: ["upstream-healthy"], from: 0, timeout: .seconds(30)) != nil else {
            return .fail("dmswitchd did not report the upstream healthy within 30 s.")
        }
        let writer = try ContinuousWriter(directory: lab.sandbox.directory, options: .init(rate: Double(options.rate)))
        let writing = resources.startWriter(writer)
        terminal.say("An application writes \(options.rate) rows a second to the group's primary (dmsandbox.writes), "
            + "one transaction each; DM copies them to the downstream.")
        try? await Task.sleep(for: .seconds(3))
        let copied = try await downstreamRows(lab)
        terminal.say("So far \(writer.acknowledgedCount) rows acknowledged; the downstream has \(copied).")

        // 3. The upstream dies; detection is narrated as dmswitchd decides.
        terminal.phase(3, "The upstream dies")
        let mark = timeline.mark()
        let victim = try lab.sandbox.instance(Self.killed)
        terminal.say("kill -9 \(victim.name) (pid \(victim.pid.map(String.init) ?? "?")): DM's upstream disappears mid-stream.")
        let killedAt = ContinuousClock.now
        narration.killed(at: killedAt)
        try await lab.sandbox.kill(Self.killed)
        let acknowledgedBefore = writer.acknowledgedCount
        let recovery = Task { try await lab.firstNewWrite(after: acknowledgedBefore, of: writer) }
        try await lab.sandbox.promote(Self.promoted)
        terminal.say("The group's own HA tool (MHA or orchestrator in production; the demo plays it) promotes db\(Self.promoted) "
            + "\(seconds(.now - killedAt)) after the kill, and the application follows it. dmswitchd does not promote: it moves DM.")
        guard await timeline.wait(for: ["upstream-down"], from: mark, timeout: .seconds(30)) != nil else {
            return .fail("dmswitchd did not declare the upstream down within 30 s of the kill.")
        }

        // 4 and 5 (the choice and the runbook) are narrated from dmswitchd's lines.
        let ends: Set<String> = ["run-completed", "run-aborted-before-repoint", "run-failed-after-repoint", "held"]
        guard let end = await timeline.wait(for: ends, from: mark, timeout: .seconds(120)) else {
            return .fail("No run finished within 120 s of the kill.")
        }
        guard end.line.code == "run-completed" else {
            return .fail("dmswitchd did not complete the failover: \(narration.named(end.line.sentence))")
        }

        // 6. DM on the new upstream.
        terminal.phase(6, "DM resumes on db\(Self.promoted)")
        terminal.say("DM reads from db\(Self.promoted): \(seconds(end.line.seenAt - killedAt)) after the kill.")
        // dmswitchctl shows DM's status as last read; the run's end asks DM again.
        await waitUntilStatusShowsRunning(lab)
        terminal.quote("$ dmswitchctl status", try lab.dmswitchctl(["status"]).stdout)
        let firstWrite: FirstNewWrite?
        do {
            firstWrite = try await recovery.value
        } catch let error as SandboxError {
            throw error
        } catch {
            throw SandboxError("measure the recovery", "\(error)")
        }
        guard let firstWrite else {
            return .fail("No row written after the kill reached the downstream within 60 s.")
        }
        terminal.say("The first row written after the kill (id \(firstWrite.id), acknowledged by db\(Self.promoted) "
            + "\(seconds(firstWrite.acknowledgedAt - killedAt)) after the kill) reached the downstream "
            + "\(seconds(firstWrite.appliedAt - killedAt)) after the kill: that is the recovery time.")

        // 7. Stop writing and compare.
        terminal.phase(7, "Is the downstream exact?")
        try? await Task.sleep(for: .seconds(2))
        writer.stop()
        let summary = await writing.value
        terminal.say("The writer stopped: \(summary.acknowledged.count) rows acknowledged, \(summary.failedWrites) writes failed "
            + "while no primary answered (never acknowledged to the application).")
        terminal.say("Comparing dmsandbox.writes on db\(Self.promoted) (the primary) and on the downstream, once DM caught up…")
        let consistency = try await lab.consistency(acknowledged: summary.acknowledged)
        let violations = try lab.violations()
        terminal.detail("upstream    \(consistency.primaryRows) rows   checksum \(consistency.primaryChecksum)")
        terminal.detail("downstream  \(consistency.downstreamRows) rows   checksum \(consistency.downstreamChecksum)   "
            + "\(consistency.downstreamDistinctIDs) distinct ids")
        terminal.detail("acknowledged rows missing downstream: \(consistency.missingAcknowledged.count)")
        terminal.detail("dmsim: DM read from two servers at once: \(violations.isEmpty ? "never" : violations.joined(separator: "; "))")
        guard consistency.isExact, violations.isEmpty else {
            return .fail("The downstream differs from the upstream: \(consistency)")
        }
        return .pass
    }

    /// The servers, the VIP and DM's setup, one line each.
    private func describe(_ lab: DeploymentLab) {
        let sandbox = lab.sandbox
        for instance in sandbox.instances {
            let role = instance.number == sandbox.primary.number ? "primary (writable)" : "replica of db\(sandbox.primary.number)"
            let priority = lab.options.priorities.indices.contains(instance.number - 1) ? lab.options.priorities[instance.number - 1] : 0
            terminal.detail("\(instance.name)        \(instance.host):\(instance.port)  \(role), priority \(priority)")
        }
        if let vip = sandbox.vip {
            terminal.detail("VIP        \(vip.host):\(vip.port)  HAProxy → db\(sandbox.primary.number)")
        }
        if let downstream = sandbox.downstream {
            terminal.detail("downstream \(downstream.host):\(downstream.port)  where DM writes (stands in for TiDB)")
        }
        let reads = options.scenario == .vip ? "through the VIP" : "from db\(sandbox.primary.number)'s address"
        terminal.say("dmsim plays DM \(options.dmVersion): source \(LabOptions.sourceID), task \"\(LabOptions.taskName)\", reading \(reads); "
            + "its subtask is real MariaDB replication into the downstream.")
        terminal.say("dmswitchd's configuration: \(lab.configPath) (probe every \(lab.options.detectionInterval), "
            + "timeout \(lab.options.detectionTimeout), down after \(lab.options.failures) failures confirmed by the replicas).")
    }

    /// Polls `status` until every task shows Running (up to 15 s): the run's last query
    /// of DM reaches `status` a moment after run-completed is logged.
    private func waitUntilStatusShowsRunning(_ lab: DeploymentLab) async {
        let client = ControlClient(socketPath: lab.controlSocket, timeout: .seconds(5))
        _ = await client.waitForStatus(timeout: .seconds(15)) { report in
            report.groups.allSatisfy { !$0.tasks.isEmpty && $0.tasks.allSatisfy { $0.stage == "Running" } }
        }
    }

    private func downstreamRows(_ lab: DeploymentLab) async throws(SandboxError) -> Int {
        let rows = try await lab.sandbox.query("SELECT COUNT(*) AS n FROM dmsandbox.writes", on: 0)
        return rows.first?["n"].flatMap { Int($0) } ?? 0
    }

    /// host:port → name for the narration: the instances, the VIP and the downstream.
    static func names(_ lab: DeploymentLab) -> [String: String] {
        var names: [String: String] = [:]
        for instance in lab.sandbox.instances { names["\(instance.host):\(instance.port)"] = instance.name }
        if let vip = lab.sandbox.vip { names["\(vip.host):\(vip.port)"] = "the VIP" }
        if let downstream = lab.sandbox.downstream { names["\(downstream.host):\(downstream.port)"] = "the downstream" }
        return names
    }
}
