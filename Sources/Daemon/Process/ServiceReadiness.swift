import Control
import DMSwitchLog
import Failover
import Foundation

/// What systemd hears: READY=1 once every instance was probed, a one-line
/// STATUS=, STOPPING=1, RELOADING=1, and watchdog pings that prove the
/// decision loop still turns.
struct ServiceReadiness: Sendable {
    let notifier: ServiceNotifier
    let log: EventLog

    /// Waits (bounded) for the first probe round, then sends READY=1.
    ///
    /// "Ready" means the daemon knows the state of every instance and which one is each
    /// group's upstream (through the VIP, DM's source or the journal), so a `systemctl start`
    /// that returns is followed by a meaningful `status`. An upstream that cannot be learned
    /// (the VIP down at start) delays READY=1 only until `limit`.
    /// A stop that began meanwhile (`stopping` says so) cancels it: READY=1 after STOPPING=1
    /// would tell systemd the service came up while it is going down.
    func announceReady(loop: DecisionLoop, within limit: Duration, unless stopping: () -> Bool) {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if stopping() { return }
            if let state = loop.published.withLock({ $0 }),
                state.status.groups.allSatisfy({ group in group.upstream != nil && group.instances.allSatisfy { $0.lastProbeAt != nil } }) {
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if stopping() { return }
        send { try notifier.ready(status: summary(loop)) }
        log.log(.info, "dmswitchd is ready", context: [("status", LogValue(summary(loop)))])
    }

    /// One line for `systemctl status`: groups, their upstreams, holds and runs.
    func summary(_ loop: DecisionLoop) -> String {
        guard let state = loop.published.withLock({ $0 }) else { return "starting" }
        let parts = state.status.groups.map { group -> String in
            var text = "\(group.name): \(group.upstream?.description ?? "upstream unknown")"
            if let run = group.run { text += ", run \(run.id) step \(run.step)/\(run.steps)" }
            if !group.holds.isEmpty { text += ", held" }
            return text
        }
        let global = state.status.globalHolds.isEmpty ? "" : "all held; "
        return global + (parts.isEmpty ? "no groups" : parts.joined(separator: "; "))
    }

    /// Pings the watchdog every half timeout, but only while the decision
    /// loop's heartbeat is fresh: a wedged loop stops the pings and systemd
    /// restarts the service.
    func startWatchdog(loop: DecisionLoop, queue: DispatchQueue) -> DispatchSourceTimer? {
        guard let interval = notifier.watchdogInterval else { return nil }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let milliseconds = Int(interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
        timer.schedule(deadline: .now(), repeating: .milliseconds(max(100, milliseconds)))
        let stale = DecisionLoop.idlePass * 5
        timer.setEventHandler { @Sendable in
            let beat = loop.heartbeat.withLock { $0 }
            if ContinuousClock.now - beat < stale {
                send { try notifier.watchdog() }
                send { try notifier.status(summary(loop)) }
            } else {
                log.log(.err, "The decision loop has not turned for a while; withholding the watchdog ping")
            }
        }
        timer.resume()
        return timer
    }

    /// Notification failures are only worth a debug line (sd_notify(3)).
    func send(_ notification: () throws -> Void) {
        do { try notification() } catch { log.log(.debug, "Could not notify systemd", context: [("reason", LogValue("\(error)"))]) }
    }
}
