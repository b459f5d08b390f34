import Foundation
import Synchronization
import Testing
import Coordination
import Sandbox

/// Every suite that starts etcd, one test at a time: a few etcd members at once
/// is all the shared 2-core machine should run.
@Suite("etcd integration", .serialized)
enum EtcdIntegration {}

extension EtcdIntegration {
    /// Ownership and fencing against a real 3-member etcd cluster.
    @Suite("Group leases and fenced journal on a real etcd cluster")
    struct GroupLeaseTests {
        @Test("Two daemons acquiring the same group at once: exactly one wins")
        func exactlyOneWins() throws {
            let cluster = try EtcdCluster.start()
            defer { cluster.tearDown() }
            let daemons = try (1...2).map { try EtcdTestSupport.coordinator(cluster, name: "d\($0)", ttl: .seconds(5)) }
            let outcomes = Recorder<(String, Bool, String?)>()
            let done = DispatchSemaphore(value: 0)
            for daemon in daemons {
                Thread {
                    do {
                        switch try daemon.acquire(group: "orders") {
                        case .acquired: outcomes.record((daemon.owner.id, true, nil))
                        case .heldByOther(let record, _): outcomes.record((daemon.owner.id, false, record?.owner))
                        }
                    } catch {
                        outcomes.record((daemon.owner.id, false, "error: \(error)"))
                    }
                    done.signal()
                }.start()
            }
            done.wait()
            done.wait()
            let winners = outcomes.all.filter(\.1)
            #expect(winners.count == 1)
            let loser = try #require(outcomes.all.first { !$0.1 })
            #expect(loser.2 == winners.first?.0, "the loser sees the winner's owner record")
            let ownerKey = try daemons[0].client.get("/test/groups/orders/owner")
            #expect(OwnerRecord.parse(try #require(ownerKey).value)?.owner == winners.first?.0)
            for daemon in daemons { try daemon.release(group: "orders") }
        }

        @Test("The keepalive thread keeps a group held well past its TTL")
        func keepaliveKeepsIt() throws {
            let cluster = try EtcdCluster.start()
            defer { cluster.tearDown() }
            let first = try EtcdTestSupport.coordinator(cluster, name: "d1", ttl: .seconds(2))
            let second = try EtcdTestSupport.coordinator(cluster, name: "d2", ttl: .seconds(2))
            let losses = Recorder<LeaseLoss>()
            let lease = try #require(try first.acquire(group: "orders") { _, loss in losses.record(loss) }.lease)
            Thread.sleep(forTimeInterval: 5)
            #expect(lease.isHeld())
            #expect(losses.all.isEmpty)
            guard case .heldByOther(let record, _) = try second.acquire(group: "orders") else {
                Issue.record("the second daemon acquired a group that is kept alive")
                return
            }
            #expect(record?.owner == first.owner.id)
            #expect(try first.appendFenced(group: "orders", record: "step 1") == 1)
            try first.release(group: "orders")
            #expect(losses.all == [.released])
            #expect(!lease.isHeld())
            #expect(try second.acquire(group: "orders").lease != nil, "a released group is free at once, without waiting for the TTL")
            try second.release(group: "orders")
        }

        @Test("A paused daemon loses the group after the TTL; another takes it; the first one's fenced append is refused")
        func pausedDaemonIsFenced() throws {
            let cluster = try EtcdCluster.start()
            defer { cluster.tearDown() }
            let paused = try EtcdTestSupport.coordinator(cluster, name: "paused", ttl: .seconds(2))
            let other = try EtcdTestSupport.coordinator(cluster, name: "other", ttl: .seconds(2))
            let losses = Recorder<LeaseLoss>()
            // Manual keepalive that nobody calls: the process is frozen.
            let lease = try #require(try paused.acquire(group: "orders", keepalive: .manual) { _, loss in losses.record(loss) }.lease)
            let staleFence = lease.fence
            #expect(try paused.appendFenced(group: "orders", record: "intent: pause-task") == 1)

            var taken: GroupLease?
            let tookOver = EtcdTestSupport.eventually(within: .seconds(15)) {
                taken = (try? other.acquire(group: "orders"))?.lease
                return taken != nil
            }
            #expect(tookOver, "etcd expires the frozen daemon's lease and the other daemon acquires the group")
            #expect(!lease.isHeld(), "locally the group is lost once a TTL passed without a confirmed keepalive")

            // The frozen daemon "resumes" and, without looking at its clock, writes with the fence it has.
            let refused = #expect(throws: EtcdError.self) {
                try paused.journal.append("outcome: pause-task ok", fence: staleFence)
            }
            guard case .fenced(let group, let detail) = refused else {
                Issue.record("expected .fenced, got \(String(describing: refused))")
                return
            }
            #expect(group == "orders")
            #expect(detail.contains("other/"), "the refusal names the new owner: \(detail)")
            #expect(throws: EtcdError.self) { try paused.appendFenced(group: "orders", record: "outcome: pause-task ok") }

            // Its next keepalive round notices and reports the loss once.
            #expect(!lease.keepAlive())
            #expect(losses.all.count == 1)
            if case .notConfirmedWithinTTL = losses.all.first {} else { Issue.record("unexpected loss \(losses.all)") }
            #expect(!paused.isHeld(group: "orders"))

            #expect(try other.appendFenced(group: "orders", record: "takeover: verify DM") == 2)
            #expect(try other.journal(group: "orders").map(\.record) == ["intent: pause-task", "takeover: verify DM"])
            try other.release(group: "orders")
            _ = taken
        }

        @Test("A daemon whose owner key was deleted or replaced notices at its next keepalive and is fenced")
        func ownerChangeIsNoticed() throws {
            let cluster = try EtcdCluster.start()
            defer { cluster.tearDown() }
            let daemon = try EtcdTestSupport.coordinator(cluster, name: "d1", ttl: .seconds(10))
            let losses = Recorder<LeaseLoss>()
            let lease = try #require(try daemon.acquire(group: "orders", keepalive: .manual) { _, loss in losses.record(loss) }.lease)
            #expect(lease.keepAlive())
            // An operator (or a bug) removes the key; someone else recreates it.
            try daemon.client.delete(.key("/test/groups/orders/owner"))
            let intruder = try EtcdTestSupport.coordinator(cluster, name: "intruder", ttl: .seconds(10))
            _ = try #require(try intruder.acquire(group: "orders").lease)
            #expect(lease.isHeld(), "locally nothing is known yet")
            let refused = #expect(throws: EtcdError.self) { try daemon.appendFenced(group: "orders", record: "step") }
            guard case .fenced(_, let detail) = refused else {
                Issue.record("expected .fenced, got \(String(describing: refused))")
                return
            }
            #expect(detail.contains("intruder/"), "\(detail)")
            #expect(!lease.keepAlive())
            guard case .ownerChanged(let owner) = losses.last else {
                Issue.record("expected .ownerChanged, got \(losses.all)")
                return
            }
            #expect(owner?.hasPrefix("intruder/") == true)
            #expect(intruder.isHeld(group: "orders"), "the loser's revoke of its own lease does not touch the new owner")
            #expect(try intruder.appendFenced(group: "orders", record: "step") == 1)
            try intruder.release(group: "orders")
        }

        @Test("Fenced appends get contiguous sequence numbers and read back in order")
        func contiguousJournal() throws {
            let cluster = try EtcdCluster.start()
            defer { cluster.tearDown() }
            let daemon = try EtcdTestSupport.coordinator(cluster, name: "d1", ttl: .seconds(5))
            _ = try #require(try daemon.acquire(group: "orders").lease)
            var sequences: [UInt64] = []
            for step in 1...25 { sequences.append(try daemon.appendFenced(group: "orders", record: "{\"step\":\(step)}")) }
            #expect(sequences == Array(1...25))
            let entries = try daemon.journal(group: "orders")
            #expect(entries.map(\.sequence) == Array(1...25))
            #expect(entries.map(\.record) == (1...25).map { "{\"step\":\($0)}" })
            #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.revision < $1.revision })

            let paged = try daemon.client.rangeAll(prefix: "/test/groups/orders/journal/", pageSize: 7)
            #expect(paged.keyValues.map(\.text) == entries.map(\.record), "reading in pages of 7 gives the same journal")

            try daemon.truncateJournal(group: "orders", through: 10)
            #expect(try daemon.journal(group: "orders").map(\.sequence) == Array(11...25))
            #expect(try daemon.appendFenced(group: "orders", record: "next") == 26)
            #expect(try daemon.journal(group: "other").isEmpty)
            #expect(throws: EtcdError.notHeld(group: "other")) { try daemon.appendFenced(group: "other", record: "x") }
            try daemon.release(group: "orders")
        }

        @Test("Cooldowns are fenced by the group's lease; holds may be written by any daemon")
        func sharedState() throws {
            let cluster = try EtcdCluster.start()
            defer { cluster.tearDown() }
            let owner = try EtcdTestSupport.coordinator(cluster, name: "owner", ttl: .seconds(5))
            let bystander = try EtcdTestSupport.coordinator(cluster, name: "bystander", ttl: .seconds(5))
            _ = try #require(try owner.acquire(group: "orders").lease)
            try owner.putCooldown(group: "orders", payload: "{\"until\":100}")
            #expect(try bystander.cooldown(group: "orders") == "{\"until\":100}")
            #expect(throws: EtcdError.notHeld(group: "orders")) { try bystander.putCooldown(group: "orders", payload: "{}") }
            try bystander.putHold(.group("orders"), payload: "{\"reason\":\"maintenance\"}")
            try bystander.putHold(.all, payload: "{\"reason\":\"upgrade\"}")
            #expect(try owner.holds() == [.group("orders"): "{\"reason\":\"maintenance\"}", .all: "{\"reason\":\"upgrade\"}"])
            try owner.deleteHold(.all, fencedBy: "orders")
            #expect(try owner.holds().keys.sorted { "\($0)" < "\($1)" } == [.group("orders")])
            try owner.release(group: "orders")
            #expect(try bystander.cooldown(group: "orders") == "{\"until\":100}", "a cooldown outlives the run's lease")
        }
    }
}
