import Control
import Dispatch
import Failover
import Foundation
import Synchronization

/// Turns control-socket requests into operator commands for the decision
/// thread and its replies (or the published status) into control results.
///
/// Runs on the control server's connection threads; it only posts events and
/// waits for the answer, bounded by `replyTimeout`.
struct ControlBridge: Sendable {
    let loop: DecisionLoop
    let performer: ActionPerformer
    let names: SharedInstanceNames
    let history: @Sendable (_ group: String?, _ limit: Int) -> Result<Control.History, ControlError>
    let reload: @Sendable () -> ControlReply
    let nodeName: String
    /// A switchover's reply waits for DM's status, which can take a dmctl timeout.
    let replyTimeout: Duration

    /// How long a command waits for the decision thread: long enough for DM's status (twice
    /// dmctl's timeout), but always shorter than dmswitchctl waits for an answer (30 s), so
    /// the operator hears "the command may still take effect" rather than a bare timeout.
    static func replyTimeout(commandTimeout: Duration) -> Duration {
        min(commandTimeout * 2, ControlClient.defaultTimeout - .seconds(5))
    }

    func handle(_ request: ControlRequest, peer: ControlPeer) -> ControlReply {
        let now = Failover.Instant.now
        switch request.command {
        case .status(let group):
            if let group, !names.contains(group) { return .failure(unknownGroup(group)) }
            return status(group: group)
        case .hold(let target, let reason, let duration):
            if let refusal = unknown(target) { return .failure(refusal) }
            return ask(.hold(scope(target), reason: reason, owner: peer.owner, until: duration.map { now + $0 }))
        case .release(let target):
            if let refusal = unknown(target) { return .failure(refusal) }
            return ask(.release(scope(target), by: peer.owner))
        case .acknowledge(let group):
            guard names.contains(group) else { return .failure(unknownGroup(group)) }
            return ask(.acknowledge(group: group, by: peer.owner))
        case .check(let group):
            guard names.contains(group) else { return .failure(unknownGroup(group)) }
            return ask(.check(group: group, to: nil))
        case .switchover(let group, let instance):
            guard names.contains(group) else { return .failure(unknownGroup(group)) }
            guard let address = names.address(of: instance, in: group) else {
                return .failure(ControlError(.unknownInstance, "Group \(group) has no instance named \(instance)."))
            }
            return ask(.switchover(group: group, to: address, by: peer.owner))
        case .history(let group, let limit):
            if let group, !names.contains(group) { return .failure(unknownGroup(group)) }
            return history(group, limit ?? 20).map { .history($0) }
        case .reload:
            return reload()
        }
    }

    /// Posts the command and waits for the decision thread's reply.
    private func ask(_ command: OperatorCommand) -> ControlReply {
        let answer = Mutex<OperatorReply?>(nil)
        let answered = DispatchSemaphore(value: 0)
        loop.post(.command(command) { reply in
            answer.withLock { $0 = reply }
            answered.signal()
        })
        let seconds = Double(replyTimeout.components.seconds)
        guard answered.wait(timeout: .now() + seconds) == .success, let reply = answer.withLock({ $0 }) else {
            return .failure(ControlError(.busy, "dmswitchd did not answer within \(Int(seconds)) s; the command may still take effect. Check 'dmswitchctl status'."))
        }
        return translate(reply, command: command)
    }

    private func translate(_ reply: OperatorReply, command: OperatorCommand) -> ControlReply {
        switch reply {
        case .done(let sentence):
            return .success(.done(Acknowledgement(message: sentence)))
        case .runStarted(let run, let sentence):
            return .success(.done(Acknowledgement(message: sentence, run: run.rawValue)))
        case .refused(let sentence):
            return .failure(ControlError(refusalCode(for: command, sentence), sentence))
        case .report(let report):
            return .success(.check(checkReport(report)))
        }
    }

    /// The stable error code an operator's script can branch on.
    private func refusalCode(for command: OperatorCommand, _ sentence: String) -> ControlErrorCode {
        switch command {
        case .release where sentence.hasSuffix("is not held."): .notHeld
        default: .refused
        }
    }

    private func checkReport(_ report: Failover.CheckReport) -> Control.CheckReport {
        let group = report.group
        var chosen: String?
        if case .chosen(let instance, _) = report.selection.decision { chosen = names.name(of: instance, in: group) }
        let verdicts = report.selection.verdicts.map { verdict in
            Control.CandidateVerdict(
                instance: names.name(of: verdict.instance, in: group),
                eligible: verdict.standing == .eligible,
                reasons: verdict.sentences)
        }
        // The per-candidate sentences are the verdicts' reasons; the rest says what they rest on.
        var findings = [report.verdict.sentence]
        if let block = report.block { findings.append(block.sentence) }
        findings.append(report.selection.sentence)
        return Control.CheckReport(
            group: group, chosen: chosen, verdicts: verdicts, runbook: runbookPreview(report) ?? [], findings: findings)
    }

    /// The steps the group's runbook would take to the chosen candidate.
    private func runbookPreview(_ report: Failover.CheckReport) -> [String]? {
        guard case .chosen(let instance, _) = report.selection.decision,
            let from = report.upstream,
            let shell = performer.shell(report.group)
        else { return nil }
        let settings = shell.settings
        let tasks = (shell.sightings.dm?.tasks ?? []).map { task in
            TaskSpec(name: task.name, file: settings.tasks.first { $0.name == task.name }?.file ?? "")
        }
        let identity = report.selection.verdict(of: instance)?.serverIdentity ?? instance.description
        let plan = RunbookPlan(from: from, to: instance, toIdentity: identity, tasks: tasks)
        // Plain sentences: dmswitchctl numbers them.
        return Runbook.make(settings.runbook, plan: plan).steps.map(\.sentence)
    }

    private func status(group: String?) -> ControlReply {
        guard let published = loop.published.withLock({ $0 }) else {
            return .failure(ControlError(.busy, "dmswitchd is starting; try again in a moment."))
        }
        let globalHold = published.status.globalHolds.first
        let groups = published.status.groups
            .filter { group == nil || $0.name == group }
            .map { groupStatus($0, globalHold: globalHold) }
        return .success(.status(StatusReport(groups: groups)))
    }

    private func groupStatus(_ group: Failover.GroupStatus, globalHold: Hold?) -> Control.GroupStatus {
        let shell = performer.shell(group.name)
        let sightings = shell?.sightings
        let hold = group.holds.first ?? globalHold
        return Control.GroupStatus(
            name: group.name,
            upstream: group.upstream.map { names.name(of: $0, in: group.name) },
            actingNode: group.authority.actingNode(selfName: nodeName),
            hold: hold.map { HoldStatus(owner: $0.owner, reason: $0.reason, since: $0.placedAt.date, until: $0.expiresAt?.date) },
            cooldownUntil: group.cooldown?.until.date,
            lastDecision: sightings?.lastDecision(of: group.name),
            instances: group.instances.map { instance in
                let state = sightings?.state(of: instance.address)
                return Control.InstanceStatus(
                    name: names.name(of: instance.address, in: group.name),
                    address: instance.address.description,
                    health: instance.health.word,
                    identity: instance.serverIdentity,
                    readOnly: state?.readOnly,
                    gtidExecuted: state?.gtidE.description,
                    role: instance.address == group.upstream ? "upstream" : "candidate")
            },
            tasks: (sightings?.dm?.tasks ?? []).map {
                Control.TaskStatus(name: $0.name, stage: $0.stage.rawValue, gtidS: ($0.syncerGTID ?? $0.relayGTID)?.description)
            },
            coordination: group.authority.actingNode(selfName: nodeName) == nil ? group.authority.refusal : nil)
    }

    private func scope(_ target: HoldTarget) -> HoldScope {
        switch target {
        case .all: .global
        case .group(let name): .group(name)
        }
    }

    private func unknown(_ target: HoldTarget) -> ControlError? {
        guard case .group(let name) = target, !names.contains(name) else { return nil }
        return unknownGroup(name)
    }

    private func unknownGroup(_ name: String) -> ControlError {
        ControlError(.unknownGroup, "There is no group named \(name).")
    }
}

extension Failover.Instant {
    var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }
}

extension InstanceHealth {
    /// One word for the status table.
    var word: String {
        switch self {
        case .unknown: "unknown"
        case .healthy: "up"
        case .alive: "alive"
        case .suspect: "suspect"
        case .down: "down"
        }
    }
}
