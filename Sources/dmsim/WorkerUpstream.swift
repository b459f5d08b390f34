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
}

extension WorkerUpstream {
    /// Reads `sim-add-worker`'s options; in an extension, so the memberwise init stays.
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
        func refused(_ problem: String) -> SimSetupError {
            SimSetupError(description: "The worker \(alias) in the inventory \"\(path)\" (line \(line.line)) \(problem).")
        }
        guard let sourceID = line.sourceID, !sourceID.isEmpty else { throw refused("has no source_id") }
        guard !line.mysqlHost.isEmpty else { throw refused("has no mysql_host") }
        // The reader refuses a mysql_port that is not a number; absent means DM-Ansible's 3306.
        let port = line.mysqlPort ?? 3306
        let worker: String
        if let given = options["worker"] {
            worker = given
        } else {
            guard let host = line.variables["ansible_host"] else { throw refused("has no ansible_host") }
            let workerPort = line.variables["dm_worker_port"].map { Int($0) } ?? Self.defaultWorkerPort
            guard let workerPort, (1...65535).contains(workerPort) else {
                throw refused("has a dm_worker_port that is not a port number")
            }
            worker = "\(host):\(workerPort)"
        }
        let flavor = line.variables["flavor"]?.lowercased() ?? "mariadb"
        guard ["mysql", "mariadb"].contains(flavor) else {
            throw refused("has flavor \"\(flavor)\", not mysql or mariadb")
        }
        self.init(worker: worker, sourceID: sourceID,
                  from: DBEndpoint(host: line.mysqlHost, port: port, user: line.variables["mysql_user"],
                                   password: line.variables["mysql_password"]),
                  enableGTID: line.enableGTID, flavor: flavor)
    }
}
