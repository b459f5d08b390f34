import Control
import Foundation
import Posix
import Sandbox

/// dmswitchd's resident memory and CPU while it watches N groups and nothing happens.
struct FootprintSample: Encodable, Sendable {
    var groups: Int
    /// Addresses probed each interval: 3 instances and a VIP per group.
    var addresses: Int
    var seconds: Double
    var rssMaxMB: Double
    var rssEndMB: Double
    /// RssAnon at the end: private memory, without the shared libraries' pages.
    var anonymousEndMB: Double
    /// Percent of one core: dmswitchd's own threads.
    var cpuPercent: Double
    /// Percent of one core spent in the dmctl processes it ran (dmsim here), for context.
    var dmctlCPUPercent: Double
    var threads: Int

    enum CodingKeys: String, CodingKey {
        case groups, addresses, seconds, threads
        case rssMaxMB = "rss_max_mb", rssEndMB = "rss_end_mb", anonymousEndMB = "rss_anon_end_mb", cpuPercent = "cpu_percent", dmctlCPUPercent = "dmctl_cpu_percent"
    }
}

/// Starts dmswitchd on the first N groups of a fan-out deployment, lets it settle, then
/// samples /proc every second for the window.
struct FootprintBench {
    let counts: [Int]
    let seconds: Int
    let teardown: Teardown
    let progress: @Sendable (String) -> Void

    func run() async throws -> [FootprintSample] {
        let most = counts.max() ?? 1
        progress("footprint: starting 3 servers and HAProxy with \(4 * most) frontends for \(most) groups")
        let deployment = try await FanOutDeployment.start(groups: most, teardown: teardown)
        var samples: [FootprintSample] = []
        for count in counts {
            let sample = try await measure(deployment, groups: count)
            samples.append(sample)
            progress(String(format: "footprint %d groups: RSS %.1f MB (max %.1f, private %.1f), CPU %.2f %% of a core, %d threads",
                            count, sample.rssEndMB, sample.rssMaxMB, sample.anonymousEndMB, sample.cpuPercent, sample.threads))
        }
        return samples
    }

    private func measure(_ deployment: FanOutDeployment, groups count: Int) async throws -> FootprintSample {
        let state = deployment.directory + "/daemon-\(count)"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let config = state + ".toml"
        try deployment.configuration(groups: count, stateDirectory: state).write(toFile: config, atomically: true, encoding: .utf8)
        let log = state + ".log"
        let daemon = try Subprocess.spawn(
            .init(executable: deployment.dmswitchd, arguments: ["--config", config, "--foreground"],
                  environment: deployment.environment, workingDirectory: deployment.directory),
            stdout: .file(path: log, append: true), stderr: .file(path: log, append: true))
        teardown.add { Self.stop(daemon) }
        defer { Self.stop(daemon) }
        try await waitUntilWatching(count, socket: state + "/control.sock", daemon: daemon, log: log)
        // Settle: connections open, the first DM queries done.
        try? await Task.sleep(for: .seconds(5))

        let first = try ProcessUsage.read(pid: daemon.pid)
        let start = ContinuousClock.now
        var peak = first.residentBytes
        var last = first
        while ContinuousClock.now - start < .seconds(seconds) {
            try? await Task.sleep(for: .seconds(1))
            last = try ProcessUsage.read(pid: daemon.pid)
            peak = max(peak, last.residentBytes)
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let megabyte = 1024.0 * 1024.0
        return FootprintSample(
            groups: count, addresses: 4 * count, seconds: elapsed,
            rssMaxMB: Double(peak) / megabyte, rssEndMB: Double(last.residentBytes) / megabyte,
            anonymousEndMB: Double(last.anonymousBytes) / megabyte,
            cpuPercent: (last.cpu - first.cpu).seconds / elapsed * 100,
            dmctlCPUPercent: (last.childrenCPU - first.childrenCPU).seconds / elapsed * 100,
            threads: last.threads)
    }

    /// Every group has learned its upstream and sees its instances up.
    private func waitUntilWatching(_ count: Int, socket: String, daemon: ChildProcess, log: String) async throws {
        let client = ControlClient(socketPath: socket, timeout: .seconds(5))
        let report = await client.waitForStatus(timeout: .seconds(120), pause: .milliseconds(500)) { report in
            report.groups.count == count && report.groups.allSatisfy { $0.upstream != nil && $0.instances.allSatisfy { $0.health == "up" } }
        }
        guard report != nil else {
            let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.suffix(2000) ?? ""
            let state = daemon.isRunning ? "did not see all \(count) groups up within 120 s" : "exited"
            throw FailoverBench.Failure(description: "dmswitchd with \(count) groups \(state); its log ends: \(tail)")
        }
    }

    private static func stop(_ daemon: ChildProcess) {
        guard daemon.isRunning else { return }
        _ = daemon.signal(SIGTERM, group: false)
        if daemon.wait(timeout: .seconds(10)) == nil {
            _ = daemon.signal(SIGKILL, group: true)
            _ = daemon.wait()
        }
    }
}
