import Control
import Testing
@testable import dmswitchctl

/// `status` with several DM hosts: the acting node, or why no daemon is known to act.
@Suite("dmswitchctl status: which host acts")
struct StatusCoordinationTests {
    static let instance = InstanceStatus(name: "db-a", address: "10.0.0.11:3306", health: "up", role: "upstream")

    @Test("The acting node is shown next to the upstream")
    func actingNode() {
        let text = StatusCommand.render(GroupStatus(name: "orders", upstream: "db-a", actingNode: "dm-2", instances: [Self.instance]))
        #expect(text.hasPrefix("Group orders\n  upstream     db-a\n  acting node  dm-2\n  hold         none\n"), "\(text)")
        #expect(!text.contains("coordination"))
    }

    @Test("Without a known acting node the coordination problem is shown instead")
    func coordinationProblem() {
        let text = StatusCommand.render(GroupStatus(
            name: "orders", upstream: "db-a", actingNode: nil, instances: [Self.instance],
            coordination: "etcd is unreachable: no new run starts."))
        #expect(text.hasPrefix("Group orders\n  upstream      db-a\n  coordination  etcd is unreachable: no new run starts.\n"), "\(text)")
        #expect(!text.contains("acting node"))
    }
}
