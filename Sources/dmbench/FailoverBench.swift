import Control
import Foundation
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
/// The lab's instances have priorities 20, 10, 0, so the choice alternates between db1 and
/// db2 as each is killed in turn: after a failover the old primary is restarted as a replica
/// of the new one (a SIGSTOPped one is killed first), and the next repetition starts once
/// dmswitchd sees every instance up again. Cooldown is 0 so no acknowledgement is needed.
struct FailoverBench {
    let profile: DetectionProfile
    let repetitions: Int
    let teardown: Teardown
    let progress: @Sendable (String) -> Void

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func run() async throws -> [FailoverSample] {
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
        defer { writer.stop() }

        var samples: [FailoverSample] = []
        for fault in Fault.allCases {
            for repetition in 1...repetitions {
                try await waitUntilSteady(lab)
                let sample = try await failOver(lab, fault: fault, timeline: timeline, writer: writer)
                samples.append(sample)
                progress("\(profile.name) \(fault.rawValue) \(repetition)/\(repetitions): detected \(format(sample.detection)), "
                    + "switched in \(format(sample.run)) (dmctl \(format(sample.dmctl)), hooks \(format(sample.hooks)), own \(format(sample.own)))"
                    + (sample.recovery.map { ", recovered \(format($0))" } ?? ""))
            }
        }
        return samples
    }

    /// Kills or stops the upstream, promotes the next instance, measures, and restores.
    private func failOver(_ lab: DeploymentLab, fault: Fault, timeline: DaemonTimeline, writer: ContinuousWriter) async throws -> FailoverSample {
        let sandbox = lab.sandbox
        let victim = sandbox.primary.number
        let successor = try nextPrimary(lab, after: victim)
        let mark = timeline.mark()
        let faultAt = ContinuousClock.now
        switch fault {
        case .kill: try await sandbox.kill(victim)
        case .stop: try await sandbox.stop(victim)
        }
        let acknowledged = writer.acknowledgedCount
        let recovery = fault == .kill ? Task { try await lab.firstNewWrite(after: acknowledged, of: writer) } : nil
        try await sandbox.promote(successor)

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

    /// The running instance with the highest priority other than `victim`.
    private func nextPrimary(_ lab: DeploymentLab, after victim: Int) throws -> Int {
        let priorities = lab.options.priorities
        let others = lab.sandbox.instances.filter { $0.number != victim && $0.status == .running }.map(\.number)
        guard let next = others.max(by: { (priorities[safe: $0 - 1] ?? 0) < (priorities[safe: $1 - 1] ?? 0) }) else {
            throw Failure(description: "No running instance is left to promote.")
        }
        return next
    }

    /// Waits until the replicas have caught up and dmswitchd sees every instance up and the
    /// primary as DM's upstream: the state every repetition starts from.
    private func waitUntilSteady(_ lab: DeploymentLab) async throws {
        try await lab.sandbox.waitForReplicas(timeout: .seconds(30))
        let client = ControlClient(socketPath: lab.controlSocket, timeout: .seconds(5))
        let primary = lab.sandbox.primary.name
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let response = try? await DedicatedThread.run(name: "bench status") { () throws(ControlClientError) -> ControlResponse in
                try client.send(ControlRequest(.status(group: nil)))
            }
            if case .success(.status(let report))? = response?.reply, let group = report.groups.first,
               group.upstream == primary, group.instances.allSatisfy({ $0.health == "up" }) {
                // One more probe round, so the detector's records are all fresh.
                try? await Task.sleep(for: .seconds(1))
                return
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        throw failure("dmswitchd did not see every instance up with \(primary) as the upstream within 60 s", lab)
    }

    private func failure(_ what: String, _ lab: DeploymentLab) -> Failure {
        let tail = lab.decisionLog().split(separator: "\n").suffix(25).joined(separator: "\n")
        return Failure(description: "The \(profile.name) profile failed: \(what). dmswitchd's last lines:\n\(tail)")
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// "2.84 s".
func format(_ duration: Duration) -> String {
    String(format: "%.2f s", duration.seconds)
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
