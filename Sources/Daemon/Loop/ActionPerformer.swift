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
                    writeFailed(error, rest: actions[(position + 1)...], core: &core, stopping: stopping)
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
                // The intent was written while the lease held; it must still hold now, or
                // another daemon may already act for the group.
                guard journal.mayAct(group: group) else {
                    let lapsed = JournalWriteError(
                        description: "The lease of group \(group) lapsed between the intent of \(step.name) and performing it.",
                        consequence: .groupLost(group, .unknown(reason: "the lease of group \(group) was not confirmed in time")))
                    writeFailed(lapsed, rest: actions[(position + 1)...], core: &core, stopping: stopping)
                    return
                }
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

    /// The coordination service says who acts for a group. A run that stops here no
    /// longer counts as a step in flight: its next owner finishes it.
    func authorityChanged(_ group: String, to authority: GroupAuthority, journal replay: ReplayedState?,
                          core: inout SupervisorCore, at now: Instant) -> [SupervisorAction] {
        if !authority.isActing, let run = core.runID(of: group) {
            _ = books.withLock { $0.openSteps.remove(run) }
        }
        return core.authorityChanged(group: group, to: authority, journal: replay, at: now)
    }

    /// A write ahead failed: how much stops depends on what the failure means.
    private func writeFailed(_ error: JournalWriteError, rest: ArraySlice<SupervisorAction>, core: inout SupervisorCore, stopping: Bool) {
        switch error.consequence {
        case .journalBroken:
            log.log(.err, "Could not write the journal", context: [("reason", LogValue(error.description))])
            refuseReplies(in: rest, because: error.description)
            perform(core.journalFailed(error.description, at: .now), core: &core, stopping: stopping)
        case .groupLost(let group, let authority):
            // Only this group stops, at this step boundary; the rest of the batch (other
            // groups' probes, replies) still happens.
            log.log(.warning, "Stopped acting for the group at a step boundary", context: [
                ("code", "authority-lost"), ("group", LogValue(group)), ("reason", LogValue(error.description)),
            ])
            perform(rest.filter { !belongs($0, to: group) }, core: &core, stopping: stopping)
            perform(authorityChanged(group, to: authority, journal: nil, core: &core, at: .now), core: &core, stopping: stopping)
        case .notShared:
            log.log(.err, "Could not share a change with the other daemons", context: [("reason", LogValue(error.description))])
            let refused = rest.map { action -> SupervisorAction in
                guard case .reply(let id, _) = action else { return action }
                return .reply(id, .refused("Not done: \(error.description)"))
            }
            perform(refused, core: &core, stopping: stopping)
            // What was not shared does not hold here either: back to the shared view.
            if let shared = journal.sharedHolds() { perform(core.holdsChanged(shared, at: .now), core: &core, stopping: stopping) }
        }
    }

    /// True for the actions of `group`'s run: its records, steps, evidence and their log lines.
    private func belongs(_ action: SupervisorAction, to group: String) -> Bool {
        switch action {
        case .persist(let record): journal.group(of: record) == group
        case .gather(let owner, _, _, _), .execute(let owner, _, _, _): owner == group
        case .log(let decision): decision.group == group && decision.run != nil
        case .notify(let notice): notice.group == group && notice.run != nil
        case .probe, .queryDM, .reply, .configureGroup, .removeGroup: false
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
