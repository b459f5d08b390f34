import Dispatch
import DMSwitchLog
import Failover
import Foundation
import Synchronization

/// The one thread on which dmswitchd decides, for every group.
///
/// The core (`SupervisorCore`) is a value owned by this thread alone; every
/// other thread talks to it by posting a `LoopEvent`. Actions come back in
/// order and are performed here: writes ahead (`.persist`) synchronously with
/// fsync, logging without blocking, and everything that blocks (probes, dmctl,
/// hooks) handed to other threads whose answers come back as events.
///
/// Shutdown happens at a step boundary: once asked to stop, the loop starts no
/// new step, waits for the steps in flight to finish and for their outcomes to
/// be written, then ends.
final class DecisionLoop: Sendable {
    private struct Inbox {
        var events: [LoopEvent] = []
        var stopRequested = false
        /// Set when the loop has ended: nothing reads the inbox any more.
        var closed = false
    }

    private let inbox = Mutex(Inbox())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// What `status` shows, refreshed after every batch of events.
    let published = Mutex<PublishedState?>(nil)
    /// When the loop last completed a pass: the watchdog pings only while this moves.
    let heartbeat = Mutex<ContinuousClock.Instant>(.now)

    /// The longest the loop sleeps without a pass, so the heartbeat moves even
    /// when nothing happens.
    static let idlePass: Duration = .seconds(1)

    /// How stale `status` may get while passes only probe: building it costs work in
    /// every group, and probe results arrive for every address each interval (200 a
    /// second at 50 VIP groups). A pass that decides anything publishes at once.
    static let routinePublishInterval: Duration = .milliseconds(250)

    /// Hands `event` to the decision thread. After the loop ended, a command or reload is
    /// answered at once (refused) instead of waiting for a reply that would never come.
    func post(_ event: LoopEvent) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.closed else { return false }
            inbox.events.append(event)
            return true
        }
        guard accepted else {
            Self.refuse(event)
            return
        }
        wake.signal()
    }

    /// Answers an event that will not be handled because dmswitchd is stopping.
    private static func refuse(_ event: LoopEvent) {
        switch event {
        case .command(_, let reply):
            reply(.refused("dmswitchd is stopping."))
        case .reconfigure(_, let reply):
            reply(.failure(ReloadRefusal(description: "dmswitchd is stopping; the configuration was not reloaded.")))
        case .probeCompleted, .dmStatusObserved, .evidenceGathered, .stepFinished, .authorityChanged, .holdsChanged, .cooldownShared:
            break
        }
    }

    /// Asks the loop to end at the next step boundary.
    func requestStop() {
        inbox.withLock { $0.stopRequested = true }
        wake.signal()
    }

    /// Blocks until the loop has ended.
    func waitUntilFinished() {
        finished.wait()
        finished.signal()
    }

    /// Starts the loop's thread with the core and the shell that performs its actions.
    func start(core initial: SupervisorCore, performer: ActionPerformer) {
        let thread = Thread { [self] in
            Thread.current.name = "decisions"
            run(core: initial, performer: performer)
            finished.signal()
        }
        thread.start()
    }

    private func run(core initial: SupervisorCore, performer: ActionPerformer) {
        var core = initial
        performer.perform(core.start(at: .now), core: &core, stopping: false)
        publish(core, performer: performer)
        var published = ContinuousClock.now
        while true {
            let wakeUp = core.nextWakeUp.map { max(.zero, $0 - Instant.now) } ?? Self.idlePass
            _ = wake.wait(timeout: .now() + .milliseconds(Int(min(wakeUp, Self.idlePass).wholeMilliseconds)))
            let (events, stopping) = inbox.withLock { inbox in
                defer { inbox.events = [] }
                return (inbox.events, inbox.stopRequested)
            }
            var notable = stopping
            for event in events {
                notable = handle(event, core: &core, performer: performer, stopping: stopping) || notable
            }
            if !stopping {
                let actions = core.tick(at: .now)
                notable = notable || actions.contains(where: Self.isNotable)
                performer.perform(actions, core: &core, stopping: false)
            }
            if notable || ContinuousClock.now - published >= Self.routinePublishInterval {
                publish(core, performer: performer)
                published = ContinuousClock.now
            }
            heartbeat.withLock { $0 = .now }
            if stopping && !performer.hasStepsInFlight {
                close()
                performer.shutdown()
                return
            }
        }
    }

    /// One event into the core, its actions performed; true when `status` should show the
    /// result at once (anything but a routine probe, see `routinePublishInterval`).
    ///
    /// While stopping, only the answers a run in the middle of a step needs reach the core:
    /// a probe or DM status could start a new run (a failover decided on them), which would
    /// break "stop at a step boundary"; commands and reloads are refused.
    private func handle(_ event: LoopEvent, core: inout SupervisorCore, performer: ActionPerformer, stopping: Bool) -> Bool {
        let now = Instant.now
        let actions: [SupervisorAction]
        switch event {
        case .probeCompleted(let observation, let ticket):
            guard !stopping else { return false }
            actions = core.probeCompleted(observation, for: ticket, at: now)
        case .dmStatusObserved(let result, let ticket):
            guard !stopping else { return false }
            actions = core.dmStatusObserved(result, for: ticket, at: now)
        case .evidenceGathered(let evidence, let request):
            actions = core.evidenceGathered(evidence, for: request, at: now)
        case .stepFinished(let result, let request):
            actions = core.stepFinished(result, for: request, at: now)
        case .command(let command, let reply):
            guard !stopping else {
                Self.refuse(event)
                return false
            }
            actions = performer.handle(command, reply: reply, core: &core, at: now)
        case .reconfigure(let change, let reply):
            guard !stopping else {
                Self.refuse(event)
                return false
            }
            reply(.success(performer.reconfigure(change, core: &core, stopping: stopping)))
            return true
        case .authorityChanged(let group, let authority, let journal):
            // Applied while stopping too: a group lost now must not take its last step.
            actions = performer.authorityChanged(group, to: authority, journal: journal, core: &core, at: now)
        case .holdsChanged(let holds):
            actions = core.holdsChanged(holds, at: now)
        case .cooldownShared(let group, let cooldown):
            actions = core.cooldownShared(group: group, cooldown, at: now)
        }
        performer.perform(actions, core: &core, stopping: stopping)
        if case .probeCompleted = event { return actions.contains(where: Self.isNotable) }
        return true
    }

    /// Ends the inbox: what is still in it and whatever comes later is refused.
    private func close() {
        let left = inbox.withLock { inbox -> [LoopEvent] in
            inbox.closed = true
            defer { inbox.events = [] }
            return inbox.events
        }
        for event in left { Self.refuse(event) }
    }

    private static func isNotable(_ action: SupervisorAction) -> Bool {
        switch action {
        case .probe, .queryDM: false
        case .gather, .execute, .persist, .log, .notify, .reply, .configureGroup, .removeGroup: true
        }
    }

    private func publish(_ core: SupervisorCore, performer: ActionPerformer) {
        let state = PublishedState(status: core.status(at: .now), at: .now)
        published.withLock { $0 = state }
    }
}

/// The core's status as last published by the decision thread.
struct PublishedState: Sendable {
    var status: SupervisorStatus
    var at: Instant
}

extension Failover.Instant {
    /// The wall clock: the core's instants are persisted in the journal and must
    /// mean the same after a restart.
    static var now: Instant {
        Instant(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }
}

extension Duration {
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
