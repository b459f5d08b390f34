import Foundation
import Testing

@testable import DM

@Suite("DM-Ansible inventory")
struct DMAnsibleInventoryTests {
    static let inventory = FileFixtures.inventory

    @Test("A worker line gives its source, upstream address and GTID switch; a missing port is 3306")
    func read() throws {
        let worker1 = try DMAnsibleInventory.worker(alias: "dm_worker1", in: Self.inventory, path: "inventory.ini")
        #expect(worker1.line == 6)
        #expect(worker1.sourceID == "mysql-replica-01")
        #expect(worker1.mysqlHost == "172.16.10.81")
        #expect(worker1.mysqlPort == 3306)
        #expect(worker1.enableGTID)
        #expect(worker1.variables["mysql_password"] == "VjX8cEeTX+qcvRYMtubHgA==")
        let worker2 = try DMAnsibleInventory.worker(alias: "dm_worker2", in: Self.inventory, path: "inventory.ini")
        #expect(worker2.mysqlHost == "172.16.10.82")
        #expect(worker2.mysqlPort == 3306)
        #expect(worker2.variables["mysql_password"] == "")
    }

    @Test("Rewriting changes only mysql_host and mysql_port on the worker's line, keeping their quotes")
    func rewrite() throws {
        let rewritten = try DMAnsibleInventory.rewritingAddress(
            Self.inventory, path: "inventory.ini", alias: "dm_worker1", host: "172.16.10.91", port: 3307)
        #expect(
            rewritten == Self.inventory.replacingOccurrences(of: "mysql_host=172.16.10.81", with: "mysql_host=172.16.10.91")
                .replacingOccurrences(of: "mysql_port=3306 enable_gtid=true\n", with: "mysql_port=3307 enable_gtid=true\n"))
        let quoted = try DMAnsibleInventory.rewritingAddress(
            Self.inventory, path: "inventory.ini", alias: "dm_worker2", host: "db-c", port: 3310)
        #expect(
            quoted == Self.inventory.replacingOccurrences(
                of: #"mysql_host="172.16.10.82""#, with: #"mysql_host="db-c" mysql_port=3310"#))
        let reread = try DMAnsibleInventory.worker(alias: "dm_worker2", in: quoted, path: "inventory.ini")
        #expect(reread.mysqlHost == "db-c" && reread.mysqlPort == 3310)
    }

    @Test("Aliases that are unknown, only listed bare, or defined twice are refused with the line", arguments: [
        ("dm_worker9", Self.inventory, #"Could not read the DM-Ansible inventory "inventory.ini": no host line for worker "dm_worker9" sets `mysql_host`."#),
        ("dm_worker_servers", Self.inventory, #"Could not read the DM-Ansible inventory "inventory.ini": no host line for worker "dm_worker_servers" sets `mysql_host`."#),
        ("dm_worker1", Self.inventory + "\n[more]\ndm_worker1 mysql_host=x\n", #"Could not read the DM-Ansible inventory "inventory.ini": line 15: worker "dm_worker1" already sets `mysql_host` on line 6."#),
        ("w", "w mysql_host=a mysql_port=x\n", #"Could not read the DM-Ansible inventory "inventory.ini": line 1: `mysql_port` is "x", not a port number."#),
        ("w", "w mysql_host='a\n", #"Could not read the DM-Ansible inventory "inventory.ini": line 1: the value of `mysql_host` has no closing '."#),
        ("w", "w mysql_host=a junk\n", #"Could not read the DM-Ansible inventory "inventory.ini": line 1: expected `key=value` after the host alias, found "junk"."#),
    ])
    func refused(alias: String, text: String, message: String) {
        do {
            let worker = try DMAnsibleInventory.worker(alias: alias, in: text, path: "inventory.ini")
            Issue.record("read \(worker)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("The inventory file is replaced atomically with a .prev backup")
    func rewriteFile() throws {
        let directory = try TemporaryDirectory("inventory")
        defer { directory.remove() }
        let path = directory.path + "/inventory.ini"
        try Self.inventory.write(toFile: path, atomically: false, encoding: .utf8)
        let result = try DMAnsibleInventory.rewriteAddress(path: path, alias: "dm_worker1", host: "172.16.10.91", port: 3306)
        #expect(result == DMAddressRewrite(previousHost: "172.16.10.81", previousPort: 3306, changed: true, backupPath: path + ".prev"))
        #expect(try String(contentsOfFile: path + ".prev", encoding: .utf8) == Self.inventory)
        #expect(try DMAnsibleInventory.worker(alias: "dm_worker1", path: path).mysqlHost == "172.16.10.91")
    }
}
