import Failover
import Foundation
import Glibc
import Sandbox
import Testing

/// Several DM hosts, each with a dmswitchd, one real etcd cluster: exactly one daemon acts for
/// the group; a daemon that dies or freezes mid-run is replaced without repeating a step; holds
/// are shared; without etcd's quorum nothing starts.
@Suite("dmswitchd on several hosts, coordinated through etcd", .serialized)
struct MultiHostTests {
    static let group = MultiHostLab.group

    @Test("Three daemons: exactly one runs the failover, and every daemon names it as acting")
    func exactlyOneActs() async throws {
        let hosts = try await MultiHostLab.start(["dm-a", "dm-b", "dm-c"])
        defer { hosts.shutdown() }
        let acting = try #require(await hosts.waitForAgreement(), "the daemons never agreed on who acts")
        let others = hosts.names.filter { $0 != acting }
        #expect(await hosts.lab.waitForDecision("upstream-healthy", daemon: acting))
        let acknowledged = try await hosts.writeBriefly()
        try await hosts.lab.sandbox.kill(1)
        try await hosts.lab.sandbox.promote(2)
        #expect(await hosts.lab.waitForDecision("run-completed", daemon: acting, timeout: .seconds(90)), "\(hosts.lab.decisionLog(of: acting))")
        for other in others {
            #expect(await hosts.lab.waitForDecision("failover-blocked", daemon: other, timeout: .seconds(20)))
            #expect(hosts.lab.decisions(code: "failover-blocked", daemon: other).contains { $0.contains("dmswitchd on host \(acting) acts for this group.") })
            #expect(hosts.lab.decisions(code: "run-started", daemon: other).isEmpty)
            #expect(hosts.lab.decisions(code: "step-intent", daemon: other).isEmpty)
        }
        let journal = try await hosts.expectOneCompletedRun(acknowledged: acknowledged)
        for name in hosts.names { #expect(hosts.actingNode(seenBy: name) == acting, "as seen by \(name)") }
        for other in others {
            let shown = await hosts.eventually(within: .seconds(15)) { hosts.status(other)?["cooldownUntil"] != nil }
            #expect(shown, "\(other) shows the acting daemon's cooldown: \(hosts.status(other) ?? [:])")
        }
        let history = try hosts.lab.dmswitchctl(["history"], daemon: try #require(others.first))
        #expect(history.stdout.contains(try #require(journal.runsStarted.first).id.rawValue), "history from the shared journal: \(history.stdout)")
    }

    @Test("The acting daemon's host dies in the middle of a run: another daemon finishes it, each step done once")
    func killedMidRun() async throws {
        let hosts = try await MultiHostLab.start(["dm-a", "dm-b"], vipMoveDelay: 4)
        defer { hosts.shutdown() }
        let (acting, other, acknowledged) = try await hosts.failUntilVIPMove()
        hosts.lab.killDaemonAndChildren(acting)
        #expect(await hosts.lab.waitForDecision("run-taken-over", daemon: other, timeout: .seconds(30)), "\(hosts.lab.decisionLog(of: other))")
        #expect(await hosts.lab.waitForDecision("run-completed", daemon: other, timeout: .seconds(90)), "\(hosts.lab.decisionLog(of: other))")
        #expect(await hosts.waitForAgreement(among: [other]) == other)
        let journal = try await hosts.expectOneCompletedRun(acknowledged: acknowledged)
        #expect(hosts.lab.decisions(code: "run-started", daemon: other).isEmpty, "the run continued under its own id")
        let run = try #require(journal.runsStarted.first)
        let completed = journal.completedSteps
        for index in run.steps.indices {
            #expect(completed[index] == 1, "step \(index + 1) (\(run.steps[index].name)) completed \(completed[index] ?? 0) times")
        }
    }

    @Test("A daemon frozen past its lease in the middle of a run takes no further step after it thaws")
    func frozenPastLease() async throws {
        let hosts = try await MultiHostLab.start(["dm-a", "dm-b"], vipMoveDelay: 2)
        defer { hosts.shutdown() }
        let (acting, other, acknowledged) = try await hosts.failUntilVIPMove()
        hosts.lab.signalDaemon(acting, SIGSTOP)
        #expect(await hosts.lab.waitForDecision("run-completed", daemon: other, timeout: .seconds(90)), "\(hosts.lab.decisionLog(of: other))")
        let thawedAt = hosts.lab.decisionLog(of: acting).count
        hosts.lab.signalDaemon(acting, SIGCONT)
        let steppedDown = await hosts.eventually(within: .seconds(20)) {
            hosts.actingNode(seenBy: acting) == other
        }
        #expect(steppedDown, "\(hosts.lab.decisionLog(of: acting))")
        try await Task.sleep(for: .seconds(3))
        for code in ["step-intent", "step-succeeded", "step-already-done", "run-completed", "run-started"] {
            #expect(hosts.decisions(code, daemon: acting, after: thawedAt).isEmpty, "\(code) after thawing: \(hosts.decisions(code, daemon: acting, after: thawedAt))")
        }
        let stopped = ["authority-lost", "lease-lost", "run-handed-over"].flatMap { hosts.decisions($0, daemon: acting, after: thawedAt) }
        #expect(!stopped.isEmpty, "the thawed daemon said why it stopped: \(hosts.lab.decisionLog(of: acting).dropFirst(thawedAt))")
        try await hosts.expectOneCompletedRun(acknowledged: acknowledged)
    }

    @Test("A hold given to one daemon is honoured by the acting one; its release lets the failover run")
    func sharedHold() async throws {
        let hosts = try await MultiHostLab.start(["dm-a", "dm-b"])
        defer { hosts.shutdown() }
        let acting = try #require(await hosts.waitForAgreement())
        let other = try #require(hosts.names.first { $0 != acting })
        #expect(await hosts.lab.waitForDecision("upstream-healthy", daemon: acting))
        let hold = try hosts.lab.dmswitchctl(["hold", Self.group, "--reason", "disk swap on db1"], daemon: other)
        #expect(hold.status.isSuccess, "\(hold.stderr)")
        let seen = await hosts.eventually(within: .seconds(15)) {
            (hosts.status(acting)?["hold"] as? [String: Any])?["reason"] as? String == "disk swap on db1"
        }
        #expect(seen, "the acting daemon shows the hold given to the other one")
        try await hosts.writeBriefly()
        try await hosts.lab.sandbox.kill(1)
        try await hosts.lab.sandbox.promote(2)
        let blocked = await hosts.eventually(within: .seconds(30)) {
            hosts.lab.decisions(code: "failover-blocked", daemon: acting).contains { $0.contains("disk swap on db1") }
        }
        #expect(blocked, "\(hosts.lab.decisionLog(of: acting))")
        try await Task.sleep(for: .seconds(5))
        #expect(hosts.lab.decisions(code: "run-started", daemon: acting).isEmpty)
        #expect(try hosts.sharedJournal().runsStarted.isEmpty)
        let release = try hosts.lab.dmswitchctl(["release", Self.group], daemon: other)
        #expect(release.status.isSuccess, "\(release.stderr)")
        #expect(await hosts.lab.waitForDecision("run-completed", daemon: acting, timeout: .seconds(90)), "\(hosts.lab.decisionLog(of: acting))")
        #expect(hosts.lab.decisions(code: "run-started", daemon: other).isEmpty)
        // A clean stop gives the lease back: the other daemon acts without waiting for the TTL.
        hosts.lab.signalDaemon(acting, SIGTERM)
        #expect(await hosts.lab.waitForDecision("lease-acquired", daemon: other, timeout: .seconds(20)), "\(hosts.lab.decisionLog(of: other))")
        #expect(hosts.lab.decisionLog(of: acting).contains("Gave back the lease of the group"))
    }

    @Test("etcd loses its quorum: no run starts, the daemons keep probing and say why; with quorum back the failover runs")
    func quorumLost() async throws {
        let hosts = try await MultiHostLab.start(["dm-a", "dm-b"])
        defer { hosts.shutdown() }
        let before = try #require(await hosts.waitForAgreement())
        #expect(await hosts.lab.waitForDecision("upstream-healthy", daemon: before))
        try await hosts.writeBriefly()
        try hosts.etcd.kill("m1")
        try hosts.etcd.kill("m2")
        for name in hosts.names {
            let unavailable = await hosts.eventually(within: .seconds(30)) {
                (hosts.status(name)?["coordination"] as? String)?.contains("no new run starts") == true
            }
            #expect(unavailable, "\(name) reports that etcd cannot be used: \(hosts.status(name) ?? [:])")
            #expect(hosts.actingNode(seenBy: name) == nil)
        }
        let hold = try hosts.lab.dmswitchctl(["hold", Self.group, "--reason", "while etcd is down"], daemon: before)
        #expect(hold.status != .exited(0), "a hold that cannot be shared is refused")
        #expect(hold.stderr.contains("Could not share the change of the holds"), "\(hold.stderr)")
        try await hosts.lab.sandbox.kill(1)
        try await hosts.lab.sandbox.promote(2)
        for name in hosts.names {
            #expect(await hosts.lab.waitForDecision("upstream-down", daemon: name, timeout: .seconds(30)), "\(name) kept probing")
            let blocked = await hosts.eventually(within: .seconds(10)) {
                hosts.lab.decisions(code: "failover-blocked", daemon: name).contains { $0.contains("no new run starts") }
            }
            #expect(blocked, "\(hosts.lab.decisionLog(of: name))")
        }
        try await Task.sleep(for: .seconds(5))
        for name in hosts.names {
            #expect(hosts.lab.decisions(code: "run-started", daemon: name).isEmpty)
            #expect(hosts.lab.decisions(code: "step-intent", daemon: name).isEmpty)
        }
        #expect(try hosts.dmCommands("pause-task") == 0)
        try hosts.etcd.restart("m1")
        let finished = await hosts.eventually(within: .seconds(90)) {
            hosts.names.contains { !hosts.lab.decisions(code: "run-completed", daemon: $0).isEmpty }
        }
        #expect(finished, "no daemon ran the failover after quorum came back: \(hosts.names.map { hosts.lab.decisionLog(of: $0) })")
        let finishers = hosts.names.filter { !hosts.lab.decisions(code: "run-started", daemon: $0).isEmpty }
        #expect(finishers.count == 1)
        #expect(await hosts.waitForAgreement() == finishers.first)
        #expect(try hosts.sharedJournal().runsStarted.count == 1)
        #expect(try hosts.lab.violations().isEmpty)
    }
}
