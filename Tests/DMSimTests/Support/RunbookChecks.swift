import DM
import GTID
import Sandbox
import Testing
import Upstream

/// The checks of DESIGN.md's runbooks, done by hand with the real modules: gtid-S from DM
/// (through the dmctl backend), the candidate's gtid-P and gtid-E from Upstream's probe,
/// and the safety model in module GTID's algebra. No Failover core is involved.
struct RunbookChecks: Sendable {
    let lab: Lab
    let dm: BackendDriver
    let pool: ObservationPool

    /// What one task has taken from the source.
    struct Taken: Sendable, CustomStringConvertible {
        var task: String
        /// gtid-S: `syncerBinlogGtid` (v2+) or `relayBinlogGtid` (v1.0).
        var gtidS: GTIDValue?
        /// `relayBinlogGtid` when a v2+ relay runs for the source.
        var relay: GTIDValue?

        var description: String { "\(task): gtid-S \(gtidS.map(\.description) ?? "unknown")" }
    }

    init(lab: Lab, dm: BackendDriver) throws {
        self.lab = lab
        self.dm = dm
        // A fresh connection per probe: the VIP's target changes under a kept one.
        pool = ObservationPool(credentials: try lab.sandbox.credentials(.monitor), options: ProbeOptions(reuseConnection: false))
    }

    func shutdown() { pool.shutdown() }

    /// query-status of the source: what every task on it has taken.
    func taken(v1: Bool) async throws -> [Taken] {
        let report = try await dm.call { try $0.queryStatus(source: Lab.sourceID) }
        return report.tasks.map { status in
            Taken(task: status.name, gtidS: v1 ? status.relayGTID : status.syncerGTID,
                  relay: v1 || !status.relayEnabled ? nil : status.relayGTID)
        }
    }

    /// The probe's view of instance `number`, which must answer.
    func candidate(_ number: Int) async throws -> InstanceState {
        try await state(at: try lab.address(number))
    }

    /// The probe's view of whatever answers at `address` (an instance or the VIP).
    func state(at address: InstanceAddress) async throws -> InstanceState {
        let observation = await pool.observe(address)
        guard let state = observation.state else { throw LabError("the probe of \(address) failed: \(observation)") }
        return state
    }

    /// Why `candidate` may not become the upstream of these tasks; empty when it qualifies.
    /// 1. gtid-P ⊆ gtid-S; 2. gtid-S ⊆ gtid-E; 3. relay ⊆ gtid-E (DESIGN.md, the safety model).
    static func problems(_ taken: [Taken], candidate: InstanceState) -> [String] {
        var problems: [String] = []
        if taken.isEmpty { problems.append("DM reports no task on the source") }
        for task in taken {
            guard let gtidS = task.gtidS else {
                problems.append("task \(task.task): DM reported no gtid-S")
                continue
            }
            if !candidate.gtidP.isContained(in: gtidS) {
                problems.append("task \(task.task): the candidate purged \(candidate.gtidP.missing(from: gtidS)), which DM has not taken "
                    + "(gtid-P \(candidate.gtidP) is not within gtid-S \(gtidS))")
            }
            if !gtidS.isContained(in: candidate.gtidE) {
                problems.append("task \(task.task): the candidate lacks \(gtidS.missing(from: candidate.gtidE)), which DM has taken "
                    + "(gtid-S \(gtidS) is not within gtid-E \(candidate.gtidE))")
            }
            if let relay = task.relay, !relay.isContained(in: candidate.gtidE) {
                problems.append("task \(task.task): the candidate lacks \(relay.missing(from: candidate.gtidE)), which DM's relay has received")
            }
        }
        return problems
    }

    /// The outcome of one check: what DM had taken, what the candidate had, and why not.
    struct Verdict: Sendable {
        var taken: [Taken]
        var candidate: InstanceState
        var problems: [String]

        /// The candidate qualifies, judged on gtid-S values that are not empty (an empty
        /// gtid-S would make the check pass vacuously; every test has rows before the switch).
        var qualifies: Bool {
            problems.isEmpty && !taken.isEmpty && taken.allSatisfy { ($0.gtidS?.transactionCount ?? 0) > 0 }
        }
    }

    /// query-status, probe, and the safety model for candidate `number`.
    func check(candidate number: Int, v1: Bool) async throws -> Verdict {
        let taken = try await taken(v1: v1)
        let candidate = try await candidate(number)
        return Verdict(taken: taken, candidate: candidate, problems: Self.problems(taken, candidate: candidate))
    }

    /// Polls `query-status TASK` until every subtask runs without errors (and the relay, when
    /// one is reported), then requires the task list to say Running too (dm-interface §9,
    /// "Verification"); returns the full report.
    func waitUntilRunning(seconds: Double = 20) async throws -> DMStatusReport {
        var last: DMStatusReport?
        try await waitUntil(seconds, "every subtask of \(Lab.task) to run without errors") {
            let report = try await dm.call { try $0.queryStatus(task: Lab.task) }
            last = report
            return !report.tasks.isEmpty && report.tasks.allSatisfy { status in
                status.stage == .running && status.errors.isEmpty && (!status.relayEnabled || status.relayStage == .running)
            }
        }
        guard let last else { throw LabError("no query-status reply") }
        let list = try await dm.call { try $0.listTasks() }
        guard list.tasks.map(\.name) == [Lab.task], list.tasks.allSatisfy({ $0.stage == .running }) else {
            throw LabError("the task list does not show \(Lab.task) Running: \(list)")
        }
        return last
    }

    /// Polls `query-status TASK` until the subtask stops on an error, and expects it to be
    /// Paused on DM's "get binlog event" error 36069 wrapping the server's 1236 refusal.
    func expectStoppedOnBinlogError(seconds: Double = 20) async throws {
        var last: DMStatusReport?
        try await waitUntil(seconds, "the subtask of \(Lab.task) to stop on an error") {
            last = try await dm.call { try $0.queryStatus(task: Lab.task) }
            return last?.tasks.first?.errors.isEmpty == false
        }
        let subtask = try #require(last?.tasks.first)
        #expect(subtask.stage == .paused)
        #expect(subtask.errors.first?.code == 36069)
        #expect(subtask.errors.first?.message.contains("ERROR 1236") == true, "\(subtask.errors)")
    }
}
