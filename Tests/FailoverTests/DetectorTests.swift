import GTID
import Testing
@testable import Failover

@Suite("Detector: holistic upstream detection")
struct DetectorTests {
    let detection = DetectionSettings(probeInterval: .seconds(2), probeTimeout: .seconds(1), failuresBeforeDown: 3, confirmWithReplicas: true, startupProbes: 2)

    func detector(_ settings: DetectionSettings? = nil) -> Detector {
        Detector(settings: settings ?? detection, instances: [.db1, .db2, .db3])
    }

    /// db2 and db3 replicate from db1 with the IO thread in `io`.
    func replicas(_ io: ReplicationThreadState, source: InstanceAddress = .db1) throws -> [InstanceObservation] {
        let e = try mysql("\(UUID.a):1-100")
        return [
            reachable(.db2, state("db2", e: e, replicatingFrom: source, io: io)),
            reachable(.db3, state("db3", e: e, replicatingFrom: source, io: io)),
        ]
    }

    func feed(_ detector: inout Detector, _ observations: [InstanceObservation], rounds: Int = 1, from start: Instant = t0) {
        for round in 0..<rounds {
            for observation in observations {
                detector.record(observation, at: start + .seconds(2 * round))
            }
        }
    }

    @Test("The upstream goes healthy → suspect → down after N consecutive failed probes")
    func nConsecutiveFailures() throws {
        var detector = detector()
        let primary = reachable(.db1, state("db1", e: try mysql("\(UUID.a):1-100")))
        feed(&detector, [primary] + (try replicas(.running)))
        #expect(detector.assessUpstream(.db1) == .healthy(.db1))
        feed(&detector, [failed(.db1)] + (try replicas(.connecting)))
        #expect(detector.assessUpstream(.db1).code == "upstream-suspect")
        feed(&detector, [failed(.db1)])
        #expect(detector.assessUpstream(.db1).sentence == "Upstream db1:3306 failed 2 of 3 probes in a row: connection refused.")
        feed(&detector, [failed(.db1)])
        let verdict = detector.assessUpstream(.db1)
        #expect(verdict.isDown)
        #expect(verdict.sentence == "Upstream db1:3306 is down: 3 failed probes in a row (connection refused); db2:3306 and db3:3306 cannot reach it either.")
    }

    @Test("An answer in between resets the count of consecutive failures")
    func answerResetsCount() throws {
        var detector = detector()
        let primary = reachable(.db1, state("db1", e: try mysql("\(UUID.a):1-100")))
        feed(&detector, (try replicas(.connecting)) + [failed(.db1), failed(.db1), primary, failed(.db1), failed(.db1)])
        #expect(detector.health(of: .db1) == .suspect(failures: 2, last: ProbeFailure(kind: .refused, message: "")))
    }

    @Test("Alive errors (too many connections, access denied) are proof of life, never a failure", arguments: [ProbeFailureKind.aliveError, .authFailure, .other])
    func aliveErrors(kind: ProbeFailureKind) throws {
        var detector = detector()
        feed(&detector, (try replicas(.connecting)) + [failed(.db1), failed(.db1)])
        feed(&detector, [failed(.db1, kind, "Too many connections")], rounds: 5)
        #expect(detector.assessUpstream(.db1).code == "upstream-alive")
        feed(&detector, [failed(.db1), failed(.db1)])
        #expect(detector.assessUpstream(.db1).code == "upstream-suspect", "the alive error reset the streak")
    }

    @Test("A hung server (probe timed out) is down like a crashed one")
    func hangIsDown() throws {
        var detector = detector()
        feed(&detector, (try replicas(.connecting)) + [failed(.db1, .timedOut, "no answer within 1 s")], rounds: 3)
        #expect(detector.assessUpstream(.db1).isDown)
    }

    @Test("A replica still connected to the upstream refutes our failed probes")
    func replicaRefutes() throws {
        var detector = detector()
        feed(&detector, (try replicas(.running)) + [failed(.db1)], rounds: 3)
        let verdict = detector.assessUpstream(.db1)
        #expect(!verdict.isDown)
        #expect(verdict.sentence == "Upstream db1:3306 failed 3 probes in a row, but db2:3306 and db3:3306 are still connected to it.")
        feed(&detector, try replicas(.connecting))
        #expect(detector.assessUpstream(.db1).isDown)
    }

    @Test("A replica that replicates through the VIP counts as a replica of the upstream")
    func replicaThroughVIP() throws {
        var detector = detector()
        feed(&detector, (try replicas(.running, source: .vip)) + [failed(.db1)], rounds: 3)
        #expect(detector.assessUpstream(.db1, upstreamAliases: [.vip]).code == "upstream-seen-by-replicas")
        #expect(detector.assessUpstream(.db1).isDown, "without the alias the replicas say nothing about db1")
    }

    @Test("When the replicas cannot be asked either, our own probes decide")
    func replicasCannotBeAsked() throws {
        var detector = detector()
        let primaryElsewhere = reachable(.db2, state("db2", e: try mysql("\(UUID.a):1-100")))
        feed(&detector, [failed(.db1), primaryElsewhere, failed(.db3)], rounds: 3)
        #expect(detector.assessUpstream(.db1) == .down(.db1, failures: 3, last: ProbeFailure(kind: .refused, message: ""), confirmation: .noReplicaCanTell))
    }

    @Test("With confirm-with-replicas off, a connected replica does not refute")
    func confirmationOff() throws {
        var settings = detection
        settings.confirmWithReplicas = false
        var detector = detector(settings)
        feed(&detector, (try replicas(.running)) + [failed(.db1)], rounds: 3)
        #expect(detector.assessUpstream(.db1) == .down(.db1, failures: 3, last: ProbeFailure(kind: .refused, message: ""), confirmation: .notRequired))
    }

    @Test("If no instance answers, nothing is down: the fault is on dmswitchd's side")
    func unreachableFromHere() {
        var detector = detector()
        feed(&detector, [failed(.db1), failed(.db2, .timedOut), failed(.db3, .unreachable)], rounds: 5)
        #expect(detector.assessUpstream(.db1) == .unreachableFromHere)
        #expect(!detector.assessUpstream(.db1).isDown)
        #expect(detector.assessUpstream(.db1).sentence == "No instance of the group answers: the fault is on dmswitchd's side, nothing is down.")
    }

    @Test("An instance that answers with an alive error counts as reached")
    func aliveInstanceIsReached() {
        var detector = detector()
        feed(&detector, [failed(.db1), failed(.db2, .aliveError), failed(.db3)], rounds: 3)
        #expect(detector.assessUpstream(.db1).isDown)
    }

    @Test("The startup grace lasts until every instance was probed startup-probes times")
    func startupGrace() throws {
        var detector = detector()
        #expect(!detector.startupGrace.isOver)
        feed(&detector, [failed(.db1)] + (try replicas(.connecting)))
        feed(&detector, [failed(.db1), failed(.db2)])
        #expect(detector.startupGrace.sentence == "Startup grace: db3:3306 probed 1 of 2 times.")
        feed(&detector, [failed(.db3)])
        #expect(detector.startupGrace.isOver)
    }

    @Test("An unknown or never probed upstream is not judged")
    func unknownUpstream() {
        let detector = detector()
        #expect(detector.assessUpstream(nil) == .unknown)
        #expect(detector.assessUpstream(.db9) == .unknown)
        #expect(detector.assessUpstream(.db1) == .unknown)
    }

    @Test("Observations of instances outside the group are ignored")
    func strangersIgnored() {
        var detector = detector()
        detector.record(failed(.db9), at: t0)
        #expect(detector.records[.db9] == nil)
    }
}
