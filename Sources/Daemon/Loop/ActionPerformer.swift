import DMSwitchLog
import Failover
import Synchronization

/// Performs the core's actions in the order given, on the decision thread.
///
/// `.persist` is the write-ahead: it returns only when durable, and when it
/// fails the rest of the batch is dropped and the core is told. Everything
/// that blocks goes to the group's shell.
final class ActionPerformer: Sendable {
    private let journal: any JournalWriting
    private let log: EventLog
    /// Where the groups' shells post their answers (the decision loop's inbox).
    private let post: @Sendable (LoopEvent) -> Void
    /// Every watched group's shell. Replaced only on the decision thread (`.configureGroup`,
    /// `.removeGroup`); read by the control bridge for `status` and `check`.
    private let installed: Mutex<[String: GroupShell]>
    private struct Bookkeeping {
        /// Runs with a step whose intent is written and whose outcome is not yet.
        var openSteps: Set<RunID> = []
        var replies: [CommandID: @Sendable (OperatorReply) -> Void] = [:]
        var nextCommand: UInt64 = 1
        /// Resources of the last reload, waiting for the core to say a group's settings apply.
        var staged: [String: GroupResources] = [:]
    }
    private let books = Mutex(Bookkeeping())

    init(shells: [GroupShell], journal: any JournalWriting, log: EventLog, post: @escaping @Sendable (LoopEvent) -> Void) {
        installed = Mutex(Dictionary(shells.map { ($0.resources.name, $0) }, uniquingKeysWith: { first, _ in first }))
        self.journal = journal
        self.log = log
        self.post = post
    }

    /// The shell of a watched group.
    func shell(_ group: String) -> GroupShell? {
        installed.withLock { $0[group] }
    }

    /// Applies a reload on the decision thread: its resources wait here for the core's
    /// `.configureGroup`, which comes at once for idle groups and at the end of a run
    /// otherwise. Returns the core's summary sentence.
    func reconfigure(_ change: Reconfiguration, core: inout SupervisorCore, stopping: Bool) -> String {
        books.withLock { $0.staged = change.resources }
        let actions = core.reconfigure(change.settings, alsoChanged: change.alsoChanged, at: .now)
        perform(actions, core: &core, stopping: stopping)
        for case .log(let decision) in actions where decision.code == "reconfigured" { return decision.sentence }
        return "Reloaded the configuration."
    }

    /// True while a step has begun (intent written) and not ended (outcome written).
    var hasStepsInFlight: Bool {
        books.withLock { !$0.openSteps.isEmpty }
    }

    /// Hands an operator command to the core, remembering where its reply goes.
    func handle(_ command: OperatorCommand, reply: @escaping @Sendable (OperatorReply) -> Void,
                core: inout SupervisorCore, at now: Instant) -> [SupervisorAction] {
        let id = books.withLock { books -> CommandID in
            let id = CommandID(books.nextCommand)
            books.nextCommand += 1
            books.replies[id] = reply
            return id
        }
        return core.handle(command, id: id, at: now)
    }

    /// Performs `actions` in order. While stopping, nothing new begins: no
    /// probe, no DM query, and no step except the one a run is in the middle
    /// of, so the daemon ends at a step boundary.
    func perform(_ actions: [SupervisorAction], core: inout SupervisorCore, stopping: Bool) {
        for (position, action) in actions.enumerated() {
            switch action {
            case .persist(let record):
                if stopping, case .stepIntent = record { return }
                do {
                    try journal.append(record)
                } catch {
                    log.log(.err, "Could not write the journal", context: [("reason", LogValue(error.description))])
                    refuseReplies(in: actions[(position + 1)...], because: error.description)
                    perform(core.journalFailed(error.description, at: .now), core: &core, stopping: stopping)
                    return
                }
                track(record)
            case .log(let decision):
                write(decision)
            case .notify(let notification):
                log.log(.notice, notification.sentence, context: [
                    ("event", LogValue(notification.event.rawValue)), ("group", LogValue(notification.group)),
                    ("run", LogValue(optional: notification.run)),
                ])
            case .reply(let id, let reply):
                let answer = books.withLock { $0.replies.removeValue(forKey: id) }
                answer?(reply)
            case .probe(let ticket, _):
                guard !stopping else { continue }
                shell(ticket.target.group)?.probe(ticket)
            case .queryDM(let ticket):
                guard !stopping else { continue }
                shell(ticket.group)?.queryDM(ticket)
            case .gather(let group, let id, let request, _):
                guard !stopping || isOpen(id.run) else { continue }
                shell(group)?.gather(request, id: id)
            case .execute(let group, let id, let step, let deadline):
                guard !stopping || isOpen(id.run) else { continue }
                shell(group)?.execute(step, id: id, deadline: deadline)
            case .configureGroup(let settings):
                install(settings)
            case .removeGroup(let group):
                installed.withLock { $0.removeValue(forKey: group) }?.shutdown()
            }
        }
    }

    /// Gives the group the shell the last reload prepared for `settings`. The previous shell's
    /// worker and sightings carry over; its probe pools end when nothing uses them any more
    /// (a probe in flight finishes first), unless the new resources kept them.
    private func install(_ settings: GroupSettings) {
        guard let resources = books.withLock({ $0.staged.removeValue(forKey: settings.name) }) else {
            log.log(.err, "No prepared resources for the reloaded group; it keeps its shell", context: [("group", LogValue(settings.name))])
            return
        }
        let post = post
        installed.withLock { shells in
            shells[settings.name] = GroupShell(resources: resources, settings: settings, post: post, previous: shells[settings.name])
        }
    }

    /// Ends every group's threads.
    func shutdown() {
        for shell in installed.withLock({ Array($0.values) }) { shell.shutdown() }
        let pending = books.withLock { books in
            defer { books.replies = [:] }
            return Array(books.replies.values)
        }
        for reply in pending { reply(.refused("dmswitchd is stopping.")) }
    }

    /// The rest of a batch is dropped when its write-ahead failed; a command answered in it
    /// is told so, instead of its operator waiting for a reply that never comes.
    private func refuseReplies(in dropped: ArraySlice<SupervisorAction>, because reason: String) {
        for case .reply(let id, _) in dropped {
            let answer = books.withLock { $0.replies.removeValue(forKey: id) }
            answer?(.refused("dmswitchd could not write its journal (\(reason)), so the command did not take effect durably; nothing new starts until the journal is writable and dmswitchd restarted."))
        }
    }

    private func isOpen(_ run: RunID) -> Bool {
        books.withLock { $0.openSteps.contains(run) }
    }

    private func track(_ record: JournalRecord) {
        books.withLock { books in
            switch record {
            case .stepIntent(let step): books.openSteps.insert(step.run)
            case .stepOutcome(let step, _, _): books.openSteps.remove(step.run)
            case .runFinished(let run, _, _), .runAborting(let run, _, _, _): books.openSteps.remove(run)
            default: break
            }
        }
    }

    private func write(_ decision: Decision) {
        let priority: LogPriority =
            switch decision.severity {
            case .info: .info
            case .notice: .notice
            case .warning: .warning
            case .error: .err
            }
        var context: [(key: String, value: LogValue)] = [("code", LogValue(decision.code))]
        if let group = decision.group { context.append(("group", LogValue(group))) }
        if let run = decision.run { context.append(("run", LogValue(run.rawValue))) }
        if let step = decision.step { context.append(("step", LogValue(step))) }
        log.log(priority, decision.sentence, context: context)
        if let group = decision.group { shell(group)?.sightings.recordDecision(decision.sentence, group: group) }
    }
}
