import Foundation
import Posix
import Sandbox
import Testing
import Upstream

extension UpstreamIntegration {
    @Suite("The example HAProxy VIP hook")
    struct VIPHook {
        /// etc/hooks/move-vip-haproxy.sh in this checkout.
        static let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("etc/hooks/move-vip-haproxy.sh").path

        static func runHook(_ environment: [String: String]) async throws -> Subprocess.Outcome {
            var full = ProcessInfo.processInfo.environment
            full.merge(environment) { $1 }
            let options = Subprocess.Options(executable: "/bin/sh", arguments: [script], environment: full, deadline: .seconds(30))
            return try await DedicatedThread.run(name: "hook") { () throws(SubprocessError) -> Subprocess.Outcome in
                try Subprocess.run(options)
            }
        }

        @Test("The hook moves the VIP to DMSWITCH_NEW_INSTANCE and the identity through the VIP follows")
        func movesTheVIP() async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 2, vip: true))
            defer { sandbox.shutdown() }
            let vip = try #require(sandbox.vip)
            let pool = try sandbox.monitorPool()
            defer { pool.shutdown() }

            let outcome = try await Self.runHook([
                "DMSWITCH_RUN_ID": "r-test", "DMSWITCH_GROUP": "orders",
                "DMSWITCH_OLD_INSTANCE": try sandbox.instance(1).address.description,
                "DMSWITCH_NEW_INSTANCE": try sandbox.instance(2).address.description,
                "HAPROXY_SOCKET": vip.adminSocket, "HAPROXY_BACKEND": vip.backend,
            ])
            #expect(outcome.status == .exited(0), "stderr: \(outcome.stderr)")
            #expect(outcome.stderr.contains("run=r-test group=orders"))
            #expect(try await sandbox.vipTarget() == 2)
            #expect(await pool.observe(vip.address).state?.serverIdentity == "0-2")

            // Idempotent: the same move again succeeds and changes nothing.
            let again = try await Self.runHook([
                "DMSWITCH_NEW_INSTANCE": try sandbox.instance(2).address.description,
                "HAPROXY_SOCKET": vip.adminSocket, "HAPROXY_BACKEND": vip.backend,
            ])
            #expect(again.status == .exited(0), "stderr: \(again.stderr)")
            #expect(try await sandbox.vipTarget() == 2)
        }

        @Test("Bad settings exit 2 with a sentence and leave the VIP where it was", arguments: [
            (["HAPROXY_BACKEND": "db"], "DMSWITCH_NEW_INSTANCE is not set"),
            (["DMSWITCH_NEW_INSTANCE": "127.0.0.1:1"], "HAPROXY_BACKEND is not set"),
            (["DMSWITCH_NEW_INSTANCE": "127.0.0.1:1", "HAPROXY_BACKEND": "db"], "no server of backend db listens at 127.0.0.1:1"),
            (["DMSWITCH_NEW_INSTANCE": "nonsense", "HAPROXY_BACKEND": "db"], "is not host:port"),
        ])
        func badSettings(environment: [String: String], message: String) async throws {
            let sandbox = try await Sandbox.start(SandboxOptions(instances: 1, vip: true, replicate: false))
            defer { sandbox.shutdown() }
            let vip = try #require(sandbox.vip)
            var full = environment
            full["HAPROXY_SOCKET"] = vip.adminSocket
            let outcome = try await Self.runHook(full)
            #expect(outcome.status == .exited(2))
            #expect(outcome.stderr.contains(message), "stderr: \(outcome.stderr)")
            #expect(try await sandbox.vipTarget() == 1)
        }
    }
}
