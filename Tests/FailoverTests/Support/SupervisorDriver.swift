import Testing
@testable import Failover

/// A fake daemon shell around `SupervisorCore`, doing what the core's doc comment asks: actions
/// in order, probes and DM queries answered from a fake world, time from a manual clock.
struct SupervisorDriver {
    var core: SupervisorCore
    var world: FakeWorld
    var settings: GroupSettings
    var journal: [JournalRecord] = []
    var logs: [Decision] = []
    var notifications: [Notice] = []
    var replies: [CommandID: OperatorReply] = [:]
    /// The shell's group changes, as the core asked for them (`.configureGroup`, `.removeGroup`).
    var shellChanges: [SupervisorAction] = []
    var now: Instant
    /// Probes of these instances never report (a shell thread stuck on a hung server).
    var unanswered: Set<InstanceAddress> = []
    /// When set, the next persist fails.
    var journalFailsNext = false
    /// When set and true for an action, the daemon loses the group's lease just before it:
    /// the rest of the batch is dropped (the shell drops a lost group's actions) and another
    /// host is reported as acting.
    var loseAuthorityBefore: ((SupervisorAction) -> Bool)?
    private var queue: [SupervisorAction] = []

    init(_ kind: RunbookKind, world: FakeWorld, settings: GroupSettings? = nil, replayed: ReplayedState = ReplayedState(), at now: Instant = t0) {
        self.world = world
        self.settings = settings ?? RunDriver.groupSettings(kind)
        self.now = now
        core = SupervisorCore(groups: [self.settings], replayed: replayed, runIDPrefix: "r", at: now)
    }

    var group: String { settings.name }

    mutating func start() {
        queue += core.start(at: now)
        drain()
    }

    /// Lets time pass until `until`, performing everything the core asks on the way.
    mutating func advance(to until: Instant) {
        drain()
        var passes = 0
        while let wake = core.nextWakeUp, wake <= until {
            passes += 1
            // A wake-up that a tick does not move would spin the daemon's loop: fail, do not hang.
            guard passes < 100_000 else {
                Issue.record("nextWakeUp stays at \(wake) although the core was ticked there")
                return
            }
            now = max(now, wake)
            queue += core.tick(at: now)
            drain()
        }
        now = max(now, until)
        queue += core.tick(at: now)
        drain()
    }

    mutating func advance(by duration: Duration) {
        advance(to: now + duration)
    }

    @discardableResult
    mutating func command(_ command: OperatorCommand, id: UInt64) -> OperatorReply? {
        queue += core.handle(command, id: CommandID(id), at: now)
        drain()
        return replies[CommandID(id)]
    }

    /// The coordination service reports who acts for the group.
    mutating func changeAuthority(_ authority: GroupAuthority, journal: ReplayedState? = nil) {
        queue += core.authorityChanged(group: group, to: authority, journal: journal, at: now)
        drain()
    }

    /// The holds shared by every daemon changed.
    mutating func shareHolds(_ holds: [Hold]) {
        queue += core.holdsChanged(holds, at: now)
        drain()
    }

    /// Reloads the configuration with `groups`; returns what the shell was asked to change.
    @discardableResult
    mutating func reconfigure(_ groups: [GroupSettings], alsoChanged: Set<String> = []) -> [SupervisorAction] {
        let before = shellChanges.count
        queue += core.reconfigure(groups, alsoChanged: alsoChanged, at: now)
        drain()
        return Array(shellChanges[before...])
    }

    /// Restarts the daemon: a new core from the journal, on the same world.
    mutating func restart() {
        queue = []
        core = SupervisorCore(groups: [settings], replayed: ReplayedState.replay(journal), runIDPrefix: "s", at: now)
        start()
    }

    private mutating func drain() {
        while !queue.isEmpty {
            let action = queue.removeFirst()
            if let lose = loseAuthorityBefore, lose(action) {
                loseAuthorityBefore = nil
                queue = core.authorityChanged(group: group, to: .observing(owner: "dm-b"), journal: nil, at: now)
                continue
            }
            switch action {
            case .persist(let record):
                if journalFailsNext {
                    journalFailsNext = false
                    queue = core.journalFailed("write: Input/output error (errno 5).", at: now)
                    continue
                }
                journal.append(record)
            case .log(let decision):
                logs.append(decision)
            case .notify(let notification):
                notifications.append(notification)
            case .reply(let id, let reply):
                replies[id] = reply
            case .configureGroup, .removeGroup:
                shellChanges.append(action)
            case .probe(let ticket, _):
                guard !unanswered.contains(ticket.target.address) else { continue }
                let observation = ticket.target.throughVIP ? world.observation(world.vipTarget) : world.observation(ticket.target.address)
                queue += core.probeCompleted(InstanceObservation(instance: ticket.target.address, outcome: observation.outcome), for: ticket, at: now)
            case .queryDM(let ticket):
                queue += core.dmStatusObserved(.status(world.dmStatus), for: ticket, at: now)
            case .gather(_, let id, let request, _):
                let step = core.groups.first?.run?.currentStep
                let evidence = world.evidence(request, step: step, at: now)
                queue += core.evidenceGathered(evidence, for: id, at: now)
            case .execute(_, let id, let step, _):
                queue += core.stepFinished(world.perform(step), for: id, at: now)
            }
        }
    }

    /// Runs started, as journaled.
    var runsStarted: [RunHeader] {
        journal.compactMap { if case .runStarted(let header) = $0 { header } else { nil } }
    }

    var runsFinished: [RunOutcome] {
        journal.compactMap { if case .runFinished(_, let outcome, _) = $0 { outcome } else { nil } }
    }

    func logged(_ code: String) -> [Decision] { logs.filter { $0.code == code } }

    var status: GroupStatus? { core.status(at: now).groups.first }
}
