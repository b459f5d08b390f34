import Sandbox
import Testing
import Upstream

extension UpstreamIntegration {
    @Suite("Failure kinds and bounded probes")
    struct FailureKinds {
        static let fast = ProbeOptions(timeouts: ConnectionTimeouts(connect: .seconds(1), read: .seconds(1), write: .seconds(1)))

        @Test("A hung instance times out within its deadline while the others keep their cadence; a killed one is refused")
        func hungAndKilled() async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 3))
            defer { sandbox.shutdown() }
            let pool = try sandbox.monitorPool(Self.fast)
            defer { pool.shutdown() }
            let addresses = sandbox.instances.map(\.address)
            let log = ObservationLog()
            let interval = Duration.milliseconds(200)
            pool.startMonitoring(addresses, every: interval) { log.append($0) }
            try await Task.sleep(for: .milliseconds(600))

            try await sandbox.stop(3)
            let hangStart = ContinuousClock.now
            try await Task.sleep(for: .seconds(6))
            let hangEnd = ContinuousClock.now
            try await sandbox.cont(3)

            // 6 s at one probe per 200 ms is 30 probes; 12 proves the others were not held up.
            for address in addresses.prefix(2) {
                let during = log.observations(of: address, startedIn: hangStart..<hangEnd)
                #expect(during.count >= 12, "\(address) was probed \(during.count) times during the hang")
                let failures = during.filter { !$0.isReachable }
                #expect(failures.isEmpty, "\(address) should have stayed reachable: \(failures)")
            }
            // Probes of the hung instance that started once it was stopped: timed out, each bounded.
            let bound = Self.fast.effectiveDeadline + .seconds(1)
            let hung = log.observations(of: addresses[2], startedIn: (hangStart + .milliseconds(100))..<(hangEnd - bound))
            #expect(!hung.isEmpty)
            for observation in hung {
                #expect(observation.failure?.kind == .timedOut, "\(observation)")
                #expect(observation.duration <= bound, "a probe of the hung instance took \(observation.duration)")
            }
            let notDown = hung.filter { $0.failure?.isDownEvidence != true }
            #expect(notDown.isEmpty)

            // Resumed: reachable again.
            pool.stopMonitoring()
            let resumed = await pool.observe(addresses[2])
            #expect(resumed.isReachable, "\(resumed)")

            try await sandbox.kill(2)
            let started = ContinuousClock.now
            let killed = await pool.observe(addresses[1])
            #expect(killed.failure?.kind == .refused, "\(killed)")
            #expect(ContinuousClock.now - started <= Self.fast.timeouts.effectiveConnect + .seconds(2))
            #expect(killed.failure?.isDownEvidence == true)
        }

        @Test("A wrong password is an authentication failure that proves the server alive, not a down instance")
        func wrongPassword() async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 1, replicate: false))
            defer { sandbox.shutdown() }
            var credentials = try sandbox.credentials(.monitor)
            credentials.password += "-wrong"
            let pool = ObservationPool(credentials: credentials, options: Self.fast)
            defer { pool.shutdown() }
            let observation = await pool.observe(sandbox.primary.address)
            let failure = try #require(observation.failure)
            #expect(failure.kind == .authFailure)
            #expect(failure.error?.errno == 1045)
            #expect(failure.isAliveEvidence)
            #expect(!failure.isDownEvidence)
        }

        @Test("With max_connections exhausted the probe reports an alive error (1040), not a down instance")
        func tooManyConnections() async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 1, maxConnections: 10, replicate: false))
            defer { sandbox.shutdown() }
            // Hold writer connections until the server refuses one with 1040.
            let writer = try sandbox.credentials(.writer)
            let address = sandbox.primary.address
            let (held, refusal) = await MySQLThread.run { () -> ([MySQLConnection], MySQLError?) in
                var held: [MySQLConnection] = []
                for _ in 0..<20 {
                    do throws(MySQLError) {
                        held.append(try MySQLConnection(to: address, credentials: writer))
                    } catch {
                        return (held, error)
                    }
                }
                return (held, nil)
            }
            defer { for connection in held { connection.close() } }
            let refused = try #require(refusal, "the server accepted more than max_connections")
            #expect(refused.errno == 1040)
            #expect(held.count >= 9)

            let pool = try sandbox.monitorPool(Self.fast)
            defer { pool.shutdown() }
            let observation = await pool.observe(sandbox.primary.address)
            let failure = try #require(observation.failure, "the probe got through: \(observation)")
            #expect(failure.kind == .aliveError)
            #expect(failure.isAliveEvidence)
            #expect(!failure.isDownEvidence)
        }
    }
}
