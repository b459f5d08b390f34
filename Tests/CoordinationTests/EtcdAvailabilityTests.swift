import Foundation
import Glibc
import Synchronization
import Testing
@testable import Coordination
import Sandbox

extension EtcdIntegration {
    /// Watches, endpoint failover, quorum loss and authentication against a real etcd cluster.
    @Suite("etcd availability, watches and authentication on a real cluster")
    struct EtcdAvailabilityTests {
        @Test("A hold written through one daemon reaches another daemon's watch within two seconds")
        func holdReachesWatcher() throws {
            let cluster = try EtcdCluster.start()
            defer { cluster.tearDown() }
            let giver = try EtcdTestSupport.coordinator(cluster, name: "giver")
            let watcher = try EtcdTestSupport.coordinator(cluster, name: "watcher")
            try giver.putHold(.group("billing"), payload: "{\"reason\":\"before\"}")
            let views = Recorder<[HoldScope: String]>()
            let watch = watcher.watchHolds { views.record($0) }
            defer { watch.stop() }
            #expect(EtcdTestSupport.eventually(within: .seconds(5)) { watch.isSynchronized })
            #expect(views.last == [.group("billing"): "{\"reason\":\"before\"}"], "the first view comes from the initial read")

            let written = ContinuousClock.now
            try giver.putHold(.group("orders"), payload: "{\"reason\":\"maintenance\"}")
            #expect(EtcdTestSupport.eventually(within: .seconds(2)) { views.last?[.group("orders")] == "{\"reason\":\"maintenance\"}" })
            let latency = ContinuousClock.now - written
            #expect(latency < .seconds(2), "seen after \(latency)")

            try giver.putHold(.all, payload: "{\"reason\":\"upgrade\"}")
            try giver.deleteHold(.group("billing"))
            #expect(EtcdTestSupport.eventually(within: .seconds(2)) {
                views.last == [.group("orders"): "{\"reason\":\"maintenance\"}", .all: "{\"reason\":\"upgrade\"}"]
            })
            #expect(watch.holds == views.last)
        }

        @Test("The hold watch reconnects and re-reads after its member is killed, missing nothing")
        func holdWatchReconnects() throws {
            let cluster = try EtcdCluster.start()
            defer { cluster.tearDown() }
            let statuses = Recorder<HoldWatcher.Status>()
            let views = Recorder<[HoldScope: String]>()
            let watcherClient = try EtcdTestSupport.client(cluster.clientURLs, timeout: .seconds(1))
            let watch = HoldWatcher(client: watcherClient, keys: try CoordinationKeys(prefix: "/test"),
                                    onChange: { views.record($0) }, onStatus: { statuses.record($0) })
            watch.start()
            defer { watch.stop() }
            #expect(EtcdTestSupport.eventually(within: .seconds(5)) { watch.isSynchronized })
            #expect(watcherClient.preferredEndpoint == cluster.members[0].clientURL)

            try cluster.kill("m1")
            let giver = try EtcdTestSupport.client(Array(cluster.clientURLs.dropFirst()))
            let shared = SharedState(client: giver, keys: try CoordinationKeys(prefix: "/test"))
            try shared.putHold(.group("orders"), payload: "held while the watch was down")
            #expect(EtcdTestSupport.eventually(within: .seconds(10)) { views.last?[.group("orders")] == "held while the watch was down" })
            #expect(statuses.all.contains { if case .disconnected = $0 { true } else { false } }, "the disconnect was reported")
            #expect(watcherClient.preferredEndpoint != cluster.members[0].clientURL)
        }

        @Test("When the first endpoint is dead or hung, the next one answers and is remembered")
        func endpointFailover() throws {
            let cluster = try EtcdCluster.start()
            defer { cluster.tearDown() }
            // Hang a follower: hanging the leader would also test an election, not failover.
            let leader = try cluster.leader()
            let followers = cluster.members.filter { $0 != leader }
            let ordered = followers.map(\.clientURL) + [leader.clientURL]
            let closedPort = "http://127.0.0.1:1"
            let client = try EtcdTestSupport.client([closedPort] + ordered, timeout: .seconds(1))
            try client.put("/test/failover", value: Data("a".utf8))
            #expect(client.preferredEndpoint == ordered[0])
            #expect(try client.get("/test/failover")?.text == "a")

            // A hung member (SIGSTOP) accepts connections and answers nothing: it costs one timeout.
            try cluster.pause(followers[0].name)
            defer { try? cluster.resume(followers[0].name) }
            let started = ContinuousClock.now
            #expect(try client.get("/test/failover")?.text == "a")
            let elapsed = ContinuousClock.now - started
            // The next live member answered and is remembered; which one depends on how the
            // cluster reacts to the hang (a busy machine can see an election meanwhile).
            #expect(client.preferredEndpoint != followers[0].clientURL)
            #expect(client.preferredEndpoint != closedPort)
            #expect(elapsed < .seconds(1) + .seconds(2), "bounded by the request timeout, took \(elapsed)")

            let everyEndpointDead = try EtcdTestSupport.client([closedPort, "http://127.0.0.1:2"], timeout: .seconds(1))
            let error = #expect(throws: EtcdError.self) { try everyEndpointDead.get("/test/failover") }
            guard case .unreachable(_, let failures) = error else {
                Issue.record("expected .unreachable, got \(String(describing: error))")
                return
            }
            #expect(failures.map(\.endpoint) == [closedPort, "http://127.0.0.1:2"])
            #expect(failures.allSatisfy { $0.kind == .connection })
        }

        @Test("Losing quorum: the health check says so and fenced writes fail within the request timeout, not hang")
        func quorumLoss() throws {
            let cluster = try EtcdCluster.start()
            defer { cluster.tearDown() }
            let timeout = Duration.seconds(1)
            let daemon = try EtcdTestSupport.coordinator(cluster, name: "d1", ttl: .seconds(4), timeout: timeout)
            let losses = Recorder<LeaseLoss>()
            _ = try #require(try daemon.acquire(group: "orders") { _, loss in losses.record(loss) }.lease)
            let healthy = daemon.checkHealth(timeout: timeout)
            #expect(healthy.isHealthy, "\(healthy)")
            #expect(try daemon.appendFenced(group: "orders", record: "intent") == 1)

            try cluster.kill("m2")
            try cluster.kill("m3")
            let bound = timeout * cluster.members.count + .seconds(2)

            var started = ContinuousClock.now
            let health = daemon.checkHealth(timeout: timeout)
            var elapsed = ContinuousClock.now - started
            #expect(!health.isHealthy)
            #expect(health.problem?.isAvailabilityProblem == true, "\(health)")
            #expect(health.description.hasPrefix("etcd is not usable: Could not range \"/test/health\" in etcd: no endpoint answered"))
            #expect(elapsed < bound, "the health check took \(elapsed)")

            started = ContinuousClock.now
            let error = #expect(throws: EtcdError.self) { try daemon.appendFenced(group: "orders", record: "outcome") }
            elapsed = ContinuousClock.now - started
            #expect(error?.isAvailabilityProblem == true, "\(String(describing: error))")
            #expect(elapsed < bound * 2, "the fenced append took \(elapsed)")

            #expect(EtcdTestSupport.eventually(within: .seconds(4) + bound) { !losses.all.isEmpty }, "the keepalive thread reports the loss")
            if case .notConfirmedWithinTTL = losses.all.first {} else { Issue.record("unexpected loss \(losses.all)") }
            #expect(!daemon.isHeld(group: "orders"))
        }

        @Test("User and password: wrong ones are a clear error, right ones work, and a dead token is renewed")
        func authentication() throws {
            let cluster = try EtcdCluster.start(members: 1)
            defer { cluster.tearDown() }
            for arguments in [["user", "add", "root:secret"], ["auth", "enable"]] {
                let outcome = try cluster.etcdctl(arguments)
                try #require(outcome.status.isSuccess, "etcdctl \(arguments): \(outcome.stderr)")
            }
            let good = try EtcdTestSupport.client(cluster.clientURLs, credentials: EtcdCredentials(user: "root", password: "secret"))
            try good.put("/test/auth", value: Data("ok".utf8))
            #expect(try good.get("/test/auth")?.text == "ok")
            let firstToken = try #require(good.transport.currentToken)

            let wrong = try EtcdTestSupport.client(cluster.clientURLs, credentials: EtcdCredentials(user: "root", password: "nope"))
            let refused = #expect(throws: EtcdError.self) { try wrong.get("/test/auth") }
            #expect(refused == .authenticationFailed(user: "root", message: "authentication failed, invalid user ID or password"))
            #expect(refused?.description.hasPrefix("Could not authenticate to etcd as user \"root\"") == true)

            let anonymous = try EtcdTestSupport.client(cluster.clientURLs)
            let anonymousError = #expect(throws: EtcdError.self) { try anonymous.get("/test/auth") }
            guard case .authenticationFailed(nil, _) = anonymousError else {
                Issue.record("expected an authentication error, got \(String(describing: anonymousError))")
                return
            }

            // Toggling authentication invalidates every token.
            for arguments in [["--user=root:secret", "auth", "disable"], ["--user=root:secret", "auth", "enable"]] {
                let outcome = try cluster.etcdctl(arguments)
                try #require(outcome.status.isSuccess, "etcdctl \(arguments): \(outcome.stderr)")
            }
            #expect(try good.get("/test/auth")?.text == "ok")
            #expect(good.transport.currentToken != firstToken, "a new token was fetched")
        }

        @Test("The async call suspends instead of blocking and returns the same answers")
        func asyncCalls() async throws {
            let cluster = try EtcdCluster.start(members: 1)
            defer { cluster.tearDown() }
            let client = try EtcdTestSupport.client(cluster.clientURLs)
            let revision = try await client.send(EtcdCall.put(key: "/test/async", value: Data("v".utf8)))
            let read = try await client.send(EtcdCall.range(EtcdRangeQuery(.key("/test/async"))))
            #expect(read.keyValues.first?.text == "v")
            #expect(read.keyValues.first?.modRevision == revision)
            await #expect(throws: EtcdError.self) { try await client.send(EtcdCall.revokeLease(12345)) }
        }
    }
}
