import Testing
@testable import Failover

@Suite("Group policy: what stops automatic runs and switchovers")
struct GroupPolicyTests {
    static let group = "g"
    static let operatorHold = Hold(scope: .group(group), kind: .operator, reason: "maintenance", owner: "alice", placedAt: t0)
    static let safetyHold = Hold(scope: .global, kind: .safety, reason: "run r1 failed after the repoint", owner: "dmswitchd", placedAt: t0)
    static let expired = Hold(scope: .group(group), kind: .operator, reason: "old", owner: "bob", placedAt: t0, expiresAt: t0)
    static let otherGroup = Hold(scope: .group("h"), kind: .operator, reason: "theirs", owner: "carol", placedAt: t0)
    static let cooldown = Cooldown(group: group, run: RunID("r1"), until: t0 + .seconds(60))

    @Test("Automatic runs: the first block in order grace, automatic, hold, cooldown")
    func automaticRunBlock() {
        let grace = StartupGrace.pending([.init(instance: .db1, probes: 1, needed: 3)])
        func block(_ grace: StartupGrace = .over, automatic: Bool = true, holds: [Hold] = [], cooldown: Cooldown? = nil) -> String? {
            GroupPolicy.automaticRunBlock(group: Self.group, automatic: automatic, grace: grace, holds: holds, cooldown: cooldown, at: t0)?.code
        }
        #expect(block() == nil)
        #expect(block(grace, automatic: false, holds: [Self.operatorHold], cooldown: Self.cooldown) == "startup-grace")
        #expect(block(automatic: false, holds: [Self.operatorHold]) == "automatic-off")
        #expect(block(holds: [Self.operatorHold], cooldown: Self.cooldown) == "held")
        #expect(block(cooldown: Self.cooldown) == "cooling-down")
        #expect(block(holds: [Self.expired, Self.otherGroup]) == nil, "expired holds and other groups' holds do not count")
        #expect(block(cooldown: Cooldown(group: Self.group, run: RunID("r0"), until: t0)) == nil, "an expired cooldown does not count")
    }

    @Test("The strongest hold is reported: safety over automatic over operator")
    func strongestHold() {
        #expect(GroupPolicy.strongestHold(on: Self.group, [Self.operatorHold, Self.safetyHold], at: t0) == Self.safetyHold)
        #expect(AutomaticRunBlock.held(Self.safetyHold).sentence == "All groups are held (safety) by dmswitchd: run r1 failed after the repoint")
    }

    @Test("Switchovers: refused by a run, a safety hold, a stranger, an unknown or same upstream — not by other holds")
    func switchoverRefusal() {
        let settings = settings()
        func refusal(_ target: InstanceAddress = .db2, upstream: InstanceAddress? = .db1, run: RunID? = nil, holds: [Hold] = []) -> String? {
            GroupPolicy.switchoverRefusal(group: Self.group, target: target, settings: settings, upstream: upstream, runInProgress: run, holds: holds, at: t0)
        }
        #expect(refusal(holds: [Self.operatorHold, Hold(scope: .group(Self.group), kind: .automatic, reason: "no candidate", owner: "dmswitchd", placedAt: t0)]) == nil)
        #expect(refusal(run: RunID("r9")) == "Run r9 is in progress for group g; wait for it to end.")
        #expect(refusal(holds: [Self.safetyHold])?.hasPrefix("All groups are held (safety)") == true)
        #expect(refusal(.db9) == "db9:3306 is not an instance of group g.")
        #expect(refusal(upstream: nil) == "The upstream of group g is not known yet.")
        #expect(refusal(.db1) == "db1:3306 is already the upstream of group g.")
    }
}
