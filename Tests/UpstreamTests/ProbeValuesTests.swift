import GTID
import Sandbox
import Testing
import Upstream

extension UpstreamIntegration {
    @Suite("Probe values on a replicating group")
    struct ProbeValues {
        @Test("After writes and catch-up every instance reports the primary's gtid-E, its identity, read_only and replication")
        func valuesAfterCatchUp() async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 3))
            defer { sandbox.shutdown() }
            let pool = try sandbox.monitorPool()
            defer { pool.shutdown() }

            let ids = try await sandbox.writeRows(5)
            #expect(ids == [1, 2, 3, 4, 5])
            try await sandbox.waitForReplicas()

            let primary = try await sandbox.observedState(1, pool: pool)
            #expect(primary.flavor == .mariadb)
            #expect(primary.serverIdentity == "0-1")
            #expect(!primary.readOnly)
            #expect(primary.replication == nil)
            // CREATE DATABASE, CREATE TABLE and five INSERTs, all in domain 0 from server 1.
            #expect(primary.gtidE == (try GTIDValue("0-1-7", flavor: .mariadb)))
            #expect(primary.gtidP.isEmpty)
            #expect(primary.preflight == PreflightFacts(logBin: true, logSlaveUpdates: true, gtidMode: nil,
                                                        enforceGTIDConsistency: nil, gtidStrictMode: true, binlogFormat: "ROW"))

            for number in [2, 3] {
                let replica = try await sandbox.observedState(number, pool: pool)
                #expect(replica.serverIdentity == "0-\(number)")
                #expect(replica.readOnly)
                #expect(replica.gtidE == primary.gtidE)
                let replication = try #require(replica.replication)
                #expect(replication.source == sandbox.primary.address)
                #expect(replication.ioRunning && replication.sqlRunning)
                #expect(replication.received == primary.gtidE)
                #expect(replication.executed == primary.gtidE)
                #expect(replication.secondsBehind == 0)
                #expect(replication.gtidPositioning == "Slave_Pos")
                #expect(replication.lastIOErrno == 0 && replication.lastSQLErrno == 0)
            }
        }

        @Test("A replica with its SQL thread stopped has received more than it executed")
        func receivedAheadOfExecuted() async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 2))
            defer { sandbox.shutdown() }
            let pool = try sandbox.monitorPool()
            defer { pool.shutdown() }

            _ = try await sandbox.writeRows(2)
            try await sandbox.waitForReplicas()
            try await sandbox.stopReplicaSQLThread(2)
            _ = try await sandbox.writeRows(3)
            let primary = try await sandbox.observedState(1, pool: pool)

            // The IO thread receives on its own; wait (bounded) until it has everything.
            var replica = try await sandbox.observedState(2, pool: pool)
            let deadline = ContinuousClock.now + .seconds(15)
            while replica.replication?.received != primary.gtidE && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                replica = try await sandbox.observedState(2, pool: pool)
            }
            let replication = try #require(replica.replication)
            #expect(replication.ioRunning)
            #expect(!replication.sqlRunning)
            let received = try #require(replication.received)
            let executed = try #require(replication.executed)
            #expect(received == primary.gtidE)
            #expect(executed.isContained(in: received))
            #expect(!received.isContained(in: executed))
            #expect(!received.missing(from: executed).isEmpty, "the three INSERTs are received, not executed")
            #expect(!primary.gtidE.isContained(in: replica.gtidE), "gtid-E lags until the SQL thread applies")

            try await sandbox.startReplicaSQLThread(2)
            try await sandbox.waitForReplicas()
            let caughtUp = try await sandbox.observedState(2, pool: pool)
            #expect(caughtUp.gtidE == primary.gtidE)
            #expect(caughtUp.replication?.executed == primary.gtidE)
        }

        @Test("After FLUSH and PURGE BINARY LOGS, gtid-P of that instance is what the purged logs held")
        func purgeMovesGtidP() async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 2))
            defer { sandbox.shutdown() }
            let pool = try sandbox.monitorPool()
            defer { pool.shutdown() }

            _ = try await sandbox.writeRows(4)
            try await sandbox.waitForReplicas()
            let before = try await sandbox.observedState(1, pool: pool)
            #expect(before.gtidP.isEmpty)

            let oldest = try await sandbox.purgeBinaryLogs(on: 1)
            #expect(oldest == "binlog.000002")
            let after = try await sandbox.observedState(1, pool: pool)
            #expect(after.gtidP == before.gtidE)

            _ = try await sandbox.writeRows(2)
            let later = try await sandbox.observedState(1, pool: pool)
            #expect(later.gtidP == before.gtidE, "writes after the purge stay available")
            #expect(later.gtidP.isContained(in: later.gtidE))
            #expect(!later.gtidE.isContained(in: later.gtidP))

            let replica = try await sandbox.observedState(2, pool: pool)
            #expect(replica.gtidP.isEmpty, "the replica kept its binary logs")
        }
    }
}
