import Control
import Foundation
import GTID
import Posix
import Sandbox

/// A detection profile: how often and how patiently dmswitchd probes.
struct DetectionProfile: Sendable {
    var name: String
    var interval: String
    var timeout: String
    var failures: Int

    static let standard = DetectionProfile(name: "default", interval: "1s", timeout: "1s", failures: 3)
    static let fast = DetectionProfile(name: "fast", interval: "250ms", timeout: "250ms", failures: 3)
}

/// How the upstream is made to fail.
enum Fault: String, Sendable, CaseIterable {
    /// SIGKILL: the port refuses at once.
    case kill
    /// SIGSTOP: the kernel still accepts connections, the server answers nothing.
    case stop
}

/// One failover, measured from the fault.
struct FailoverSample: Sendable {
    var fault: Fault
    /// The fault → "upstream-down".
    var detection: Duration
    /// "upstream-down" → "run-started".
    var decision: Duration
    /// "run-started" → "run-completed".
    var run: Duration
    /// Inside dmctl during the run (the sum of its commands' durations).
    var dmctl: Duration
    var dmctlCommands: Int
    /// Inside the operator's hooks during the run (the VIP move).
    var hooks: Duration
    /// The fault → the first row written after it applied downstream (kill only: after
    /// SIGSTOP the application itself waits out its read timeout on the hung server).
    var recovery: Duration?

    /// The run's time that is neither dmctl's nor a hook's.
    var own: Duration { run - dmctl - hooks }
}

/// Failovers under writes on one deployment, again and again.
///
/// Each repetition makes DM's upstream fail; if it is the group's primary, the group's HA
/// tool (played here) promotes the most advanced replica at once, as orchestrator or MHA
/// would. Afterwards the failed instance is restarted as a replica of the primary (a
/// SIGSTOPped one is killed first), and the next repetition starts once dmswitchd sees every
/// instance up again. Cooldown is 0 so no acknowledgement is needed. Asynchronous replication
/// can leave a replica with a transaction the promoted one lacks; such a group cannot be
/// put back together by restarting, so the deployment is rebuilt and the repetition redone.
struct FailoverBench {
    let profile: DetectionProfile
    let repetitions: Int
    let teardown: Teardown
    let progress: @Sendable (String) -> Void

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A deployment with dmswitchd, its log followed, and a writer.
    private struct Rig {
        var lab: DeploymentLab
        var timeline: DaemonTimeline
        var writer: ContinuousWriter
    }

    func run() async throws -> [FailoverSample] {
        var rig = try await startRig()
        var samples: [FailoverSample] = []
        var rebuilds = 0
        for fault in Fault.allCases {
            var repetition = 1
            while repetition <= repetitions {
                let sample: FailoverSample
                do {
                    let upstream = try await waitUntilSteady(rig.lab)
                    sample = try await failOver(rig, upstream: upstream, fault: fault)
                } catch let error as SandboxError where rebuilds < 3 {
                    rebuilds += 1
                    progress("\(profile.name) \(fault.rawValue) \(repetition)/\(repetitions): the group cannot be restored (\(error)); rebuilding the deployment")
                    teardown.run()
                    rig = try await startRig()
                    continue
                }
                samples.append(sample)
                progress("\(profile.name) \(fault.rawValue) \(repetition)/\(repetitions): detected \(format(sample.detection)), "
                    + "switched in \(format(sample.run)) (dmctl \(format(sample.dmctl)), hooks \(format(sample.hooks)), own \(format(sample.own)))"
                    + (sample.recovery.map { ", recovered \(format($0))" } ?? ""))
                repetition += 1
            }
        }
        return samples
    }

    private func startRig() async throws -> Rig {
        progress("\(profile.name) profile (interval \(profile.interval), timeout \(profile.timeout), \(profile.failures) failures): starting a deployment")
        let lab = try await DeploymentLab.start(LabOptions(
            scenario: .vip, priorities: [20, 10, 0], detectionInterval: profile.interval, detectionTimeout: profile.timeout,
            failures: profile.failures, cooldown: "0s"))
        teardown.add { lab.shutdown() }
        let timeline = DaemonTimeline()
        let follower = DaemonLogFollower(path: lab.daemonLog) { timeline.append($0) }
        follower.start()
        teardown.add { follower.stop() }
        try await lab.startDaemon()
        let writer = try ContinuousWriter(directory: lab.sandbox.directory, options: .init(rate: 50))
        let writing = Thread { _ = try? writer.run() }
        writing.start()
        teardown.add { writer.stop() }
        return Rig(lab: lab, timeline: timeline, writer: writer)
    }

    /// Kills or stops DM's upstream, promotes a replica if it was the primary, measures,
    /// and restores.
    private func failOver(_ rig: Rig, upstream victim: Int, fault: Fault) async throws -> FailoverSample {
        let (lab, timeline, writer) = (rig.lab, rig.timeline, rig.writer)
        let sandbox = lab.sandbox
        let wasPrimary = victim == sandbox.primary.number
        let mark = timeline.mark()
        let faultAt = ContinuousClock.now
        switch fault {
        case .kill: try await sandbox.kill(victim)
        case .stop: try await sandbox.stop(victim)
        }
        let acknowledged = writer.acknowledgedCount
        let recovery = fault == .kill ? Task { try await lab.firstNewWrite(after: acknowledged, of: writer) } : nil
        if wasPrimary { try await sandbox.promote(try await mostAdvancedReplica(lab, besides: victim)) }

        guard let down = await timeline.wait(for: ["upstream-down"], from: mark, timeout: .seconds(60)) else {
            throw failure("dmswitchd did not declare db\(victim) down within 60 s of the \(fault.rawValue)", lab)
        }
        guard let started = await timeline.wait(for: ["run-started"], from: down.position, timeout: .seconds(60)) else {
            throw failure("no run started within 60 s of the upstream-down decision", lab)
        }
        let ends: Set<String> = ["run-completed", "run-aborted-before-repoint", "run-failed-after-repoint"]
        guard let end = await timeline.wait(for: ends, from: started.position, timeout: .seconds(120)) else {
            throw failure("the run did not finish within 120 s", lab)
        }
        guard end.line.code == "run-completed" else { throw failure("the run did not complete: \(end.line.sentence)", lab) }
        let during = timeline.lines(from: started.position).prefix(end.position - started.position)
        let dmctl = during.filter { $0.dmctlCommand != nil }
        let hooks = during.filter { $0.hookCommand != nil }
        var recovered: Duration?
        if let recovery {
            guard let write = try await recovery.value else { throw failure("no row written after the kill reached the downstream within 60 s", lab) }
            recovered = write.appliedAt - faultAt
        }
        try await sandbox.restart(victim)
        return FailoverSample(
            fault: fault, detection: down.line.seenAt - faultAt, decision: started.line.seenAt - down.line.seenAt,
            run: end.line.seenAt - started.line.seenAt, dmctl: .seconds(dmctl.reduce(0) { $0 + $1.seconds }),
            dmctlCommands: dmctl.count, hooks: .seconds(hooks.reduce(0) { $0 + $1.seconds }), recovery: recovered)
    }

    /// The running replica that has executed the most (domain 0, the group's only domain):
    /// the one an HA tool promotes, so no other replica is left ahead of it.
    private func mostAdvancedReplica(_ lab: DeploymentLab, besides victim: Int) async throws -> Int {
        var best: (number: Int, sequence: UInt64)?
        for instance in lab.sandbox.instances where instance.number != victim && instance.status == .running {
            let rows = try await lab.sandbox.query("SELECT @@GLOBAL.gtid_current_pos AS position", on: instance.number)
            let position = (try? MariaDBGTIDPosition(rows.first?["position"] ?? "")) ?? MariaDBGTIDPosition()
            let sequence = position.sequence(inDomain: 0) ?? 0
            if sequence >= (best?.sequence ?? 0), best.map({ sequence > $0.sequence }) ?? true { best = (instance.number, sequence) }
        }
        guard let best else { throw Failure(description: "No running replica is left to promote.") }
        return best.number
    }

    /// Waits until the replicas have caught up and dmswitchd sees every instance up and knows
    /// DM's upstream: the state every repetition starts from. Returns the upstream's number.
    private func waitUntilSteady(_ lab: DeploymentLab) async throws -> Int {
        try await lab.sandbox.waitForReplicas(timeout: .seconds(30))
        let client = ControlClient(socketPath: lab.controlSocket, timeout: .seconds(5))
        let names = lab.sandbox.instances.map(\.name)
        let report = await client.waitForStatus(timeout: .seconds(60), pause: .milliseconds(200)) { report in
            guard let group = report.groups.first, let upstream = group.upstream else { return false }
            return names.contains(upstream) && group.instances.allSatisfy { $0.health == "up" }
        }
        if let upstream = report?.groups.first?.upstream, let instance = lab.sandbox.instances.first(where: { $0.name == upstream }) {
            // One more probe round, so the detector's records are all fresh.
            try? await Task.sleep(for: .seconds(1))
            return instance.number
        }
        throw failure("dmswitchd did not see every instance up and DM's upstream within 60 s", lab)
    }

    private func failure(_ what: String, _ lab: DeploymentLab) -> Failure {
        let tail = lab.decisionLog().split(separator: "\n").suffix(25).joined(separator: "\n")
        return Failure(description: "The \(profile.name) profile failed: \(what). dmswitchd's last lines:\n\(tail)")
    }
}

/// "2.84 s".
func format(_ duration: Duration) -> String {
    String(format: "%.2f s", duration.seconds)
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
