import Foundation
import Posix
import Sandbox
import Synchronization

/// What the demo started, so that every way out takes it down: the normal end,
/// a failure, and SIGINT/SIGTERM (the handler runs on another thread while the
/// script may be anywhere).
///
/// The lab's `shutdown()` kills dmswitchd and every server and HAProxy and
/// removes the temporary directory; servers started before the lab object
/// existed are killed by the sandbox's exit handler.
final class DemoResources: Sendable {
    private struct Held {
        var lab: DeploymentLab?
        var follower: DaemonLogFollower?
        var writer: ContinuousWriter?
        var cleanedUp = false
    }

    private let held = Mutex(Held())

    func adopt(_ lab: DeploymentLab) { held.withLock { $0.lab = lab } }
    func adopt(_ follower: DaemonLogFollower) { held.withLock { $0.follower = follower } }

    /// Runs `writer` on a thread of its own until stopped; its summary when it ends.
    func startWriter(_ writer: ContinuousWriter) -> Task<ContinuousWriter.Summary, Never> {
        held.withLock { $0.writer = writer }
        return Task {
            await DedicatedThread.run(name: "demo writer") { () -> ContinuousWriter.Summary in
                (try? writer.run()) ?? writer.summary
            }
        }
    }

    /// Takes everything down once; returns what it removed, for the last line.
    @discardableResult
    func cleanUp() -> String? {
        let taken = held.withLock { held -> Held? in
            guard !held.cleanedUp else { return nil }
            defer { held = Held(cleanedUp: true) }
            return held
        }
        guard let taken else { return nil }
        taken.writer?.stop()
        guard let lab = taken.lab else {
            taken.follower?.stop()
            return nil
        }
        let servers = lab.sandbox.instances.count + (lab.sandbox.downstream == nil ? 0 : 1)
        let proxy = lab.sandbox.vip == nil ? "" : ", HAProxy"
        lab.shutdown()
        taken.follower?.stop()
        let removed = FileManager.default.fileExists(atPath: lab.sandbox.directory) ? "kept" : "removed"
        return "dmswitchd, \(servers) MariaDB servers\(proxy) stopped; \(lab.sandbox.directory) \(removed)."
    }
}
