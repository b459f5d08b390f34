import Foundation
import Testing

/// One replication group (primary + replica, GTID domain 1), a downstream, and dmsim.
final class Lab {
    let root: String
    let primary: LabServer
    let replica: LabServer
    let downstream: LabServer
    let dmsim: DMSimRunner

    init(version: String, label: String) throws {
        root = try temporaryRoot(label)
        primary = try LabServer(name: "primary", serverID: 1, domainID: 1, root: root)
        replica = try LabServer(name: "replica", serverID: 2, domainID: 1, root: root)
        downstream = try LabServer(name: "downstream", serverID: 100, domainID: 100, root: root)
        try primary.execute("CREATE DATABASE app")
        try primary.execute("CREATE TABLE app.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))")
        try replica.replicate(from: primary)
        dmsim = try DMSimRunner(version: version, root: root)
    }

    deinit {
        primary.kill(); replica.kill(); downstream.kill()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Inserts `count` rows on the primary.
    func write(_ count: Int, tag: String) throws {
        let values = (1...count).map { "('\(tag)-\($0)')" }.joined(separator: ",")
        try primary.execute("INSERT INTO app.t (v) VALUES \(values)")
    }

    /// Waits until the downstream has exactly the primary's rows.
    func waitInSync(_ server: LabServer? = nil) throws {
        let upstream = server ?? primary
        try waitUntil(15, "the downstream to match \(upstream.name)") {
            try downstream.fingerprint() == upstream.fingerprint()
        }
    }

    /// Creates the source (v2+) on `server` and starts task `t1` on the downstream.
    func startTask(on server: LabServer? = nil, relay: Bool = false) throws {
        let create = try dmsim.dmctl(["operate-source", "create", try dmsim.sourceFile(id: "mysql-replica-01", port: (server ?? primary).port, relay: relay)])
        #expect(path(try create.json(), "result") as? Bool == true)
        let start = try dmsim.dmctl(["start-task", try dmsim.taskFile(name: "t1", targetPort: downstream.port, sources: ["mysql-replica-01"])])
        #expect(path(try start.json(), "result") as? Bool == true)
        #expect(path(try start.json(), "sources", 0, "result") as? Bool == true)
    }

    func stage() throws -> String? {
        path(try dmsim.dmctl(["query-status", "t1"]).json(), "sources", 0, "subTaskStatus", 0, "stage") as? String
    }

    func violations() throws -> DMSimRunner.Output {
        try dmsim.run(["sim-violations"])
    }
}
