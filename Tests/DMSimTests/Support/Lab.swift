import Foundation
import Sandbox
import Upstream

/// A real replication group from `Sandbox` (db1 the primary, the others its GTID replicas,
/// optionally an HAProxy VIP), the sandbox's downstream server, and dmsim, whose subtasks
/// replicate from the group into the downstream.
///
/// dmsim is set up the way a DM cluster would be: the source file's `from` login is the
/// group's replication user, the task's `target-database` is the writer; dmsim observes
/// upstreams as the monitoring user and runs `CHANGE MASTER` on the downstream as admin.
/// The sandbox (and dmsim's state inside its directory) goes away with the lab.
final class Lab: Sendable {
    let sandbox: Sandbox
    let dmsim: DMSimRunner

    static let sourceID = "mysql-replica-01"
    static let task = "t1"
    /// The sandbox writer's table, `dmsandbox.writes`.
    static let table = "writes"

    private init(sandbox: Sandbox, dmsim: DMSimRunner) {
        self.sandbox = sandbox
        self.dmsim = dmsim
    }

    /// A group of `instances` servers plus the downstream, and dmsim for DM `version`.
    static func start(version: String, instances: Int = 2, vip: Bool = false) async throws -> Lab {
        let sandbox = try await Sandbox.start(SandboxOptions(instances: instances, vip: vip, downstream: true))
        do {
            let users = sandbox.users
            let dmsim = try await DMSimRunner.start(
                version: version, directory: sandbox.directory + "/dmsim",
                initArguments: [
                    "--downstream-user", users.admin.user, "--downstream-password-file", users.admin.passwordFile,
                    "--upstream-user", users.monitor.user, "--upstream-password-file", users.monitor.passwordFile,
                ])
            return Lab(sandbox: sandbox, dmsim: dmsim)
        } catch {
            sandbox.shutdown()
            throw error
        }
    }

    // MARK: Addresses

    func address(_ number: Int) throws -> InstanceAddress { try sandbox.instance(number).address }

    var downstream: InstanceAddress {
        get throws {
            guard let record = sandbox.downstream else { throw LabError("the sandbox has no downstream") }
            return record.address
        }
    }

    var vip: InstanceAddress {
        get throws {
            guard let vip = sandbox.vip else { throw LabError("the sandbox has no VIP") }
            return vip.address
        }
    }

    // MARK: DM files

    /// A DM source file for `Lab.sourceID` reading from `address`, as the replication user.
    func sourceFile(_ address: InstanceAddress, relay: Bool = false, name: String = "source.yaml") throws -> String {
        let login = try sandbox.credentials(.replication)
        return try dmsim.write(
            name,
            """
            # DM source file written by the dmsim tests.
            source-id: "\(Lab.sourceID)"
            enable-gtid: true
            enable-relay: \(relay)
            flavor: mariadb
            from:
              host: "\(address.host)"
              port: \(address.port)
              user: "\(login.user)"
              password: "\(login.password)"

            """)
    }

    /// A DM task file for `Lab.task` from `Lab.sourceID` into the downstream, as the writer.
    func taskFile(name: String = Lab.task) throws -> String {
        let login = try sandbox.credentials(.writer)
        let target = try downstream
        return try dmsim.write(
            "\(name).yaml",
            """
            name: "\(name)"
            task-mode: incremental
            target-database:
              host: "\(target.host)"
              port: \(target.port)
              user: "\(login.user)"
              password: "\(login.password)"
            mysql-instances:
              - source-id: "\(Lab.sourceID)"
                block-allow-list: "app"
            block-allow-list:
              app:
                do-dbs: ["dmsandbox"]

            """)
    }

    /// The DM-Ansible worker alias of the v1.0 worker.
    static let workerAlias = "dm_worker1"

    /// A DM-Ansible inventory whose worker `dm_worker1` (listening at `BackendDriver.v1Worker`)
    /// reads `Lab.sourceID` from `address`, as the replication user.
    func inventory(_ address: InstanceAddress, name: String = "inventory.ini") throws -> String {
        let login = try sandbox.credentials(.replication)
        return try dmsim.write(
            name,
            """
            ## DM modules (written by the dmsim tests)
            [dm_master_servers]
            dm_master ansible_host=127.0.0.1

            [dm_worker_servers]
            \(Lab.workerAlias) ansible_host=127.0.0.1 dm_worker_port=8262 server_id=101 source_id="\(Lab.sourceID)" mysql_host=\(address.host) mysql_user=\(login.user) mysql_password='\(login.password)' mysql_port=\(address.port) enable_gtid=true

            [all:vars]
            cluster_name = dmsim-tests
            dm_version = v1.0.7

            """)
    }

    /// The rolling update of the v1.0 worker, run the way a configured `rolling-update-command`
    /// is (an executable and fixed arguments, no shell): dmsim re-reads the worker's inventory
    /// line, as `ansible-playbook rolling_update.yml -l dm_worker1` would.
    func runRollingUpdate(inventory: String) async throws {
        let update = try await dmsim.run(["sim-add-worker", "--inventory", inventory, "--alias", Lab.workerAlias])
        guard update.exitCode == 0 else { throw LabError("the rolling update failed: \(update.stderr)") }
    }

    // MARK: Rows

    /// Inserts `count` rows (one autocommitted INSERT each) and returns the acknowledged ids.
    @discardableResult
    func write(_ count: Int, through target: Sandbox.WriteTarget = .primary) async throws -> [UInt64] {
        try await sandbox.writeRows(count, table: Lab.table, through: target)
    }

    /// Row count and an order-independent checksum of `dmsandbox.writes` on instance
    /// `number` (0: the downstream), to compare servers row for row.
    func fingerprint(_ number: Int) async throws -> String {
        let rows = try await sandbox.query(
            "SELECT CONCAT(COUNT(*), '/', COALESCE(SUM(CRC32(CONCAT_WS(':', id, payload, written_at))), 0)) AS fingerprint "
                + "FROM dmsandbox.\(Lab.table)", on: number)
        guard let value = rows.first?["fingerprint"] else { throw LabError("no fingerprint row from instance \(number)") }
        return value
    }

    /// The number of rows in `dmsandbox.writes` on instance `number` (0: the downstream).
    func rowCount(_ number: Int) async throws -> Int {
        let rows = try await sandbox.query("SELECT COUNT(*) AS n FROM dmsandbox.\(Lab.table)", on: number)
        guard let text = rows.first?["n"], let count = Int(text) else { throw LabError("no row count from instance \(number)") }
        return count
    }

    /// The downstream's `@@gtid_slave_pos`: where dmsim's subtasks continue from, DM's checkpoint.
    func checkpoint() async throws -> String {
        guard let position = try await sandbox.query("SELECT @@gtid_slave_pos AS position", on: 0).first?["position"] else {
            throw LabError("the downstream did not report gtid_slave_pos")
        }
        return position
    }

    /// Waits until the downstream holds exactly the rows of instance `number` (default: the
    /// current primary): same count, same checksum.
    func waitInSync(with number: Int? = nil, seconds: Double = 20) async throws {
        let upstream = number ?? sandbox.primary.number
        try await waitUntil(seconds, "the downstream to hold exactly the rows of db\(upstream)") {
            try await self.fingerprint(0) == self.fingerprint(upstream)
        }
    }

    // MARK: dmsim

    /// `operate-source create` (v2+) for `address` and `start-task`; both must succeed.
    func startTask(at address: InstanceAddress? = nil, relay: Bool = false) async throws {
        let source = try sourceFile(try address ?? self.address(1), relay: relay)
        let create = try await dmsim.dmctl(["operate-source", "create", source]).json()
        guard path(create, "result") as? Bool == true, path(create, "sources", 0, "result") as? Bool == true else {
            throw LabError("operate-source create failed: \(create)")
        }
        let start = try await dmsim.dmctl(["start-task", try taskFile()]).json()
        guard path(start, "result") as? Bool == true, path(start, "sources", 0, "result") as? Bool == true else {
            throw LabError("start-task failed: \(start)")
        }
    }

    /// The stage query-status reports for the task's subtask.
    func stage() async throws -> String? {
        path(try await dmsim.dmctl(["query-status", Lab.task]).json(), "sources", 0, "subTaskStatus", 0, "stage") as? String
    }

    /// `dmsim sim-violations`: exit 0 and no output when DM never read from two servers.
    func violations() async throws -> DMSimRunner.Output {
        try await dmsim.run(["sim-violations"])
    }
}
