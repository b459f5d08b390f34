import DM

/// The upstream of a DM v1.0 worker, as `sim-add-worker` reads it from a DM source file or
/// from the worker's line of a DM-Ansible inventory (module DM's readers, strict about both).
struct WorkerUpstream {
    /// The worker's `host:port`, as dmctl v1.0 addresses it with `-w`.
    var worker: String
    var sourceID: String
    var from: DBEndpoint
    var enableGTID: Bool
    var flavor: String

    /// DM-Ansible's default `dm_worker_port`.
    static let defaultWorkerPort = 8262

    init(_ options: [String: String]) throws {
        if let path = options["source-file"] {
            guard let worker = options["worker"], worker.contains(":") else {
                throw SimSetupError(description: "sim-add-worker --source-file needs --worker HOST:PORT.")
            }
            let file = try DMSourceFile.read(path: path)
            self.init(worker: worker, sourceID: file.sourceID, from: file.from, enableGTID: file.enableGTID, flavor: file.flavorName)
            return
        }
        guard let path = options["inventory"], let alias = options["alias"] else {
            throw SimSetupError(description: "sim-add-worker needs --source-file (with --worker) or --inventory with --alias.")
        }
        let line = try DMAnsibleInventory.worker(alias: alias, path: path)
        func missing(_ key: String) -> SimSetupError {
            SimSetupError(description: "The worker \(alias) in the inventory \"\(path)\" (line \(line.line)) has no \(key).")
        }
        guard let sourceID = line.sourceID, !sourceID.isEmpty else { throw missing("source_id") }
        guard !line.mysqlHost.isEmpty else { throw missing("mysql_host") }
        // The reader refuses a mysql_port that is not a number; absent means DM-Ansible's 3306.
        let port = line.mysqlPort ?? 3306
        var worker = options["worker"]
        if worker == nil {
            guard let host = line.variables["ansible_host"] else { throw missing("ansible_host") }
            let workerPort = line.variables["dm_worker_port"].map { Int($0) } ?? Self.defaultWorkerPort
            guard let workerPort, (1...65535).contains(workerPort) else {
                throw SimSetupError(description: "The worker \(alias) in the inventory \"\(path)\" (line \(line.line)) has a dm_worker_port that is not a port number.")
            }
            worker = "\(host):\(workerPort)"
        }
        let flavor = line.variables["flavor"]?.lowercased() ?? "mariadb"
        guard ["mysql", "mariadb"].contains(flavor) else {
            throw SimSetupError(description: "The worker \(alias) in the inventory \"\(path)\" (line \(line.line)) has flavor \"\(flavor)\", not mysql or mariadb.")
        }
        self.init(worker: worker ?? "", sourceID: sourceID,
                  from: DBEndpoint(host: line.mysqlHost, port: port, user: line.variables["mysql_user"],
                                   password: line.variables["mysql_password"]),
                  enableGTID: line.enableGTID, flavor: flavor)
    }

    private init(worker: String, sourceID: String, from: DBEndpoint, enableGTID: Bool, flavor: String) {
        self.worker = worker
        self.sourceID = sourceID
        self.from = from
        self.enableGTID = enableGTID
        self.flavor = flavor
    }
}
