import GTID
import Sandbox
import Testing
import Upstream

extension UpstreamIntegration {
    @Suite("Sandbox operations: promote, VIP, restart")
    struct Harness {
        @Test("Promote and move the VIP: identity through the VIP is the new primary, old sessions are closed, writes continue")
        func promoteAndMoveVIP() async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 3, vip: true))
            defer { sandbox.shutdown() }
            let pool = try sandbox.monitorPool()
            defer { pool.shutdown() }
            let vip = try #require(sandbox.vip)

            let firstIDs = try await sandbox.writeRows(4, through: .vip)
            try await sandbox.waitForReplicas()
            #expect(try await sandbox.vipTarget() == 1)
            let throughVIP = try #require(await pool.observe(vip.address).state)
            #expect(throughVIP.serverIdentity == "0-1")

            // A client session through the VIP, open across the move.
            let writer = try sandbox.credentials(.writer)
            let session = try await MySQLThread.run { () throws(MySQLError) -> MySQLConnection in
                let connection = try MySQLConnection(to: vip.address, credentials: writer)
                _ = try connection.query("SELECT 1")
                return connection
            }
            defer { session.close() }

            try await sandbox.promote(2)
            try await sandbox.moveVIP(to: 2)
            #expect(try await sandbox.vipTarget() == 2)
            #expect(sandbox.primary.number == 2)

            let afterMove = await MySQLThread.run { () -> MySQLError? in
                do throws(MySQLError) {
                    _ = try session.query("SELECT 1")
                    return nil
                } catch {
                    return error
                }
            }
            let closed = try #require(afterMove, "the session through the VIP survived the move")
            #expect(closed.kind == .connectionLost)

            let newPrimary = try #require(await pool.observe(vip.address).state)
            #expect(newPrimary.serverIdentity == "0-2")
            #expect(!newPrimary.readOnly)

            let laterIDs = try await sandbox.writeRows(3, through: .vip)
            #expect(laterIDs.allSatisfy { $0 > (firstIDs.max() ?? 0) })
            try await sandbox.waitForReplicas()
            let primaryState = try await sandbox.observedState(2, pool: pool)
            for number in [1, 3] {
                let state = try await sandbox.observedState(number, pool: pool)
                #expect(state.readOnly)
                #expect(state.replication?.source == sandbox.primary.address)
                #expect(state.replication?.ioRunning == true && state.replication?.sqlRunning == true)
                #expect(state.gtidE == primaryState.gtidE)
            }
            // Transactions written on db2 carry its server id.
            guard case .mariadb(let position) = primaryState.gtidE else {
                Issue.record("a MariaDB server reported a MySQL GTID set")
                return
            }
            #expect(position.gtids.contains { $0.server == 2 })
        }

        @Test("Kill the primary, promote a replica, restart the old primary: it rejoins as a read-only replica and catches up")
        func failoverAndRejoin() async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 3))
            defer { sandbox.shutdown() }
            let pool = try sandbox.monitorPool()
            defer { pool.shutdown() }

            _ = try await sandbox.writeRows(3)
            try await sandbox.waitForReplicas()
            try await sandbox.kill(1)
            #expect(await pool.observe(try sandbox.instance(1).address).failure?.kind == .refused)
            #expect(sandbox.manifest.instances[0].status == .killed)

            try await sandbox.promote(3)
            _ = try await sandbox.writeRows(2)
            try await sandbox.restart(1)
            try await sandbox.waitForReplicas()

            let primary = try await sandbox.observedState(3, pool: pool)
            #expect(!primary.readOnly)
            for number in [1, 2] {
                let state = try await sandbox.observedState(number, pool: pool)
                #expect(state.readOnly)
                #expect(state.replication?.source == (try sandbox.instance(3)).address)
                #expect(state.gtidE == primary.gtidE)
            }
        }

        @Test("A sandbox can be operated from its manifest by another owner, and refuses bad instance numbers")
        func attachAndBadInput() async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 2, downstream: true))
            defer { sandbox.shutdown() }
            let attached = try Sandbox.attach(directory: sandbox.directory)
            #expect(attached.manifest == sandbox.manifest)
            let downstream = try #require(attached.downstream)
            #expect(downstream.serverID == 100)
            let rows = try await attached.query("SELECT @@GLOBAL.read_only AS ro, @@GLOBAL.gtid_domain_id AS domain", on: 0)
            #expect(rows.first?["domain"] == "100")

            await #expect {
                try await attached.kill(7)
            } throws: { error in
                (error as? SandboxError)?.description == "Could not find instance 7: the sandbox has instances 1 to 2."
            }
            await #expect(throws: SandboxError.self) { try await sandbox.writeRows(1, table: "x; DROP TABLE y") }
            #expect(throws: SandboxError.self) { try Sandbox.attach(directory: sandbox.directory + "/missing") }
        }
    }
}
