import Coordination
@testable import Daemon
import Failover
import Testing

/// The shell's pieces of coordination that need no server: how holds are stored in etcd, how
/// shared journals are merged for `history`, and how an etcd failure is named.
@Suite("dmswitchd coordination: encodings and sentences")
struct CoordinationShellTests {
    static let at = Failover.Instant(millisecondsSinceEpoch: 1_700_000_000_000)

    @Test("A scope's holds round-trip through their etcd payload; none means no key")
    func holdPayload() throws {
        let holds = [
            Hold(scope: .group("orders"), kind: .operator, reason: "disk swap", owner: "alice", placedAt: Self.at, expiresAt: Self.at + .seconds(600)),
            Hold(scope: .group("orders"), kind: .safety, reason: "run r-1 failed after the repoint", owner: "dmswitchd", placedAt: Self.at),
        ]
        let payload = try #require(SharedHolds.payload(holds))
        let read = SharedHolds.holds(in: payload, scope: .group("orders"))
        #expect(read.holds == holds)
        #expect(read.problems.isEmpty)
        #expect(SharedHolds.payload([]) == nil)
        #expect(SharedHolds.holds(in: nil, scope: .global).holds.isEmpty)
    }

    @Test("A line that is not a hold of the key's scope is skipped and named")
    func foreignHoldLine() throws {
        let other = try #require(SharedHolds.payload([Hold(scope: .group("billing"), kind: .operator, reason: "x", owner: "bob", placedAt: Self.at)]))
        let read = SharedHolds.holds(in: other + "\nnot json", scope: .group("orders"))
        #expect(read.holds.isEmpty)
        #expect(read.problems.count == 2)
        #expect(read.problems.first?.hasPrefix("A shared hold of group orders is not a hold of that scope") == true)
    }

    @Test("The watch's holds of every scope are read in a stable order")
    func watchedHolds() throws {
        let global = Hold(scope: .global, kind: .operator, reason: "freeze", owner: "carol", placedAt: Self.at)
        let orders = Hold(scope: .group("orders"), kind: .operator, reason: "disk", owner: "alice", placedAt: Self.at)
        let payloads: [Coordination.HoldScope: String] = [
            .group("orders"): try #require(SharedHolds.payload([orders])), .all: try #require(SharedHolds.payload([global])),
        ]
        #expect(SharedHolds.holds(payloads).holds == [global, orders])
    }

    @Test("history merges the groups' journals by time, keeping each journal's own order")
    func mergedJournals() {
        let first: [JournalRecord] = [
            .acknowledged(group: "a", by: "x", at: Self.at + .seconds(5)),
            .acknowledged(group: "a", by: "y", at: Self.at + .seconds(4)),
        ]
        let second: [JournalRecord] = [.acknowledged(group: "b", by: "z", at: Self.at + .seconds(1))]
        #expect(SharedHistory.merged([first, second]) == [second[0], first[0], first[1]])
    }

    @Test("etcd failures are named in a short phrase for status and blocks",
          arguments: [
            (EtcdError.unreachable(operation: "range", failures: [EndpointFailure(endpoint: "http://a:2379", kind: .connection, reason: "refused")]), "etcd is unreachable"),
            (EtcdError.unreachable(operation: "range", failures: [EndpointFailure(endpoint: "http://a:2379", kind: .unavailable, reason: "no leader")]), "etcd has no quorum"),
            (EtcdError.authenticationFailed(user: "dmswitch", message: "bad password"), "etcd refuses this daemon's credentials"),
          ])
    func reasons(_ error: EtcdError, _ phrase: String) {
        #expect(CoordinationAgent.reason(error) == phrase)
        #expect(GroupAuthority.unknown(reason: phrase).refusal == "\(phrase): no new run starts.")
    }

    @Test("A lost fence is named as the lost lease of the group")
    func fencedReason() {
        #expect(SharedJournal.reason(.fenced(group: "orders", detail: "…"), group: "orders") == "this daemon no longer holds the lease of group orders")
    }
}
