import Foundation
import Glibc
import Posix
import Synchronization
import Upstream

/// A real MariaDB replication group on 127.0.0.1 for tests and the demo:
/// N servers with GTID replication from db1, optionally an HAProxy VIP and a
/// separate downstream server, and the operations that make failures
/// (kill -9, SIGSTOP, purge) and that play the group's own HA tool (promote,
/// move the VIP).
///
/// Instances are numbered from 1 (`db1` …), in the API as on the `dmsandbox`
/// command line. Every change is written to `DIR/sandbox.json`, so a sandbox
/// started by one process can be operated by another (`attach`).
///
/// A started sandbox belongs to the process that started it: `shutdown()`, or
/// deinit, kill -9 every server and remove a temporary directory; an atexit
/// handler does the same if the process exits first. `detach()` leaves the
/// servers running (`dmsandbox up`). An attached sandbox owns nothing and
/// stops nothing unless told to (`shutdown()`).
///
/// Operations block on servers, so they are async and run on dedicated threads.
public final class Sandbox: Sendable {
    /// The sandbox's directory.
    public let directory: String
    let state: Mutex<SandboxManifest>
    let children = Mutex<[String: ChildProcess]>([:])
    private let ownership: Mutex<Ownership>

    private struct Ownership {
        /// Kill the servers on shutdown/deinit (a started, not detached sandbox).
        var owned: Bool
        var isShutDown = false
    }

    init(manifest: SandboxManifest, owned: Bool) {
        directory = manifest.directory
        state = Mutex(manifest)
        ownership = Mutex(Ownership(owned: owned))
    }

    deinit {
        if ownership.withLock({ $0.owned && !$0.isShutDown }) { shutdown() }
    }

    /// Starts a sandbox (see `SandboxOptions`) and returns when every server
    /// answers and every replica replicates.
    public static func start(_ options: SandboxOptions = SandboxOptions()) async throws(SandboxError) -> Sandbox {
        try options.validate()
        return try await MySQLThread.run(name: "dmswitch sandbox start") { () throws(SandboxError) -> Sandbox in
            try SandboxBuilder(options: options).build()
        }
    }

    /// Operates a sandbox another process started, from its `sandbox.json`.
    public static func attach(directory: String) throws(SandboxError) -> Sandbox {
        let manifest = try SandboxManifest.load(directory: SandboxDirectory.absolute(directory))
        return Sandbox(manifest: manifest, owned: false)
    }

    // MARK: - What the sandbox is

    /// A copy of the current manifest (what `sandbox.json` says).
    public var manifest: SandboxManifest { state.withLock { $0 } }
    public var instances: [InstanceRecord] { manifest.instances }
    /// The instance the sandbox last made primary.
    public var primary: InstanceRecord {
        let manifest = manifest
        return manifest.instances.first { $0.number == manifest.primary } ?? manifest.instances[0]
    }
    public var downstream: InstanceRecord? { manifest.downstream }
    public var vip: VIPRecord? { manifest.vip }
    public var users: UsersRecord { manifest.users }

    /// The group instance numbered `number` (1-based).
    public func instance(_ number: Int) throws(SandboxError) -> InstanceRecord {
        try manifest.instance(number)
    }

    /// The credentials of one of the sandbox's users (read from its password file).
    public func credentials(_ user: SandboxUser) throws(SandboxError) -> MySQLCredentials {
        let users = users
        switch user {
        case .monitor: return try users.monitor.credentials()
        case .replication: return try users.replication.credentials()
        case .writer: return try users.writer.credentials()
        case .admin: return try users.admin.credentials()
        }
    }

    // MARK: - Lifetime

    /// Kills every server and the VIP (SIGKILL), waits for them, and removes a
    /// temporary directory. Idempotent; safe after the processes died on their own.
    public func shutdown() {
        ownership.withLock { $0.isShutDown = true }
        let manifest = manifest
        let owned = children.withLock { children -> [String: ChildProcess] in
            defer { children = [:] }
            return children
        }
        if let proxy = owned[HAProxyProcess.childName] {
            proxy.signal(SIGKILL, group: true)
            _ = proxy.wait()
        } else if let pid = manifest.vip?.pid, ProcessSignal.isRunning(pid) {
            _ = try? ProcessSignal.send(SIGKILL, to: pid)
        }
        for record in manifest.instances + (manifest.downstream.map { [$0] } ?? []) {
            try? ServerProcess.kill(record, child: owned[record.name])
        }
        SandboxReaper.forget(sandbox: directory)
        if manifest.temporary {
            try? FileManager.default.removeItem(atPath: directory)
            return
        }
        update { manifest in
            for index in manifest.instances.indices {
                manifest.instances[index].pid = nil
                manifest.instances[index].status = .killed
            }
            manifest.downstream?.pid = nil
            manifest.downstream?.status = .killed
            manifest.vip?.pid = nil
        }
    }

    /// Stops everything (as `shutdown()`) and removes what the sandbox created in
    /// its directory: the servers' directories, the VIP's, the password files and
    /// `sandbox.json`. Other files in the directory stay (`dmsandbox down`).
    public func destroy() {
        let manifest = manifest
        shutdown()
        guard !manifest.temporary else { return }
        let created = manifest.instances.map(\.name) + (manifest.downstream.map { [$0.name] } ?? [])
            + ["haproxy", "secrets", SandboxManifest.fileName]
        for name in created {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// Leaves the servers running after this object and this process are gone
    /// (`dmsandbox up` in the background); `dmsandbox down` stops them later.
    public func detach() {
        ownership.withLock { $0.owned = false }
        SandboxReaper.forget(sandbox: directory)
        update { $0.temporary = false }
    }

    // MARK: - Internals shared by the operations

    /// Changes the manifest and writes `sandbox.json`. A failed write is ignored
    /// here: the in-memory state stays right and the next change rewrites the file.
    func update(_ change: (inout SandboxManifest) -> Void) {
        state.withLock { manifest in
            change(&manifest)
            try? manifest.save()
        }
    }

    /// Replaces one instance's record (group instance or downstream).
    func updateRecord(_ name: String, _ change: (inout InstanceRecord) -> Void) {
        update { manifest in
            if let index = manifest.instances.firstIndex(where: { $0.name == name }) {
                change(&manifest.instances[index])
            } else if manifest.downstream?.name == name, var record = manifest.downstream {
                change(&record)
                manifest.downstream = record
            }
        }
    }

    /// Runs blocking work on a dedicated thread.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(SandboxError) -> T) async throws(SandboxError) -> T {
        try await MySQLThread.run(name: "dmswitch sandbox") { () throws(SandboxError) -> T in try body() }
    }

    /// Runs statements as root through the server's socket.
    func root(_ record: InstanceRecord, _ operation: String, _ statements: [String]) throws(SandboxError) {
        do {
            let connection = try ServerProcess.rootConnection(record)
            for statement in statements { try connection.execute(statement) }
        } catch {
            throw SandboxError(operation, error)
        }
    }

    /// Runs one query as root through the server's socket.
    func rootQuery(_ record: InstanceRecord, _ operation: String, _ sql: String) throws(SandboxError) -> [Row] {
        do {
            return try ServerProcess.rootConnection(record).query(sql)
        } catch {
            throw SandboxError(operation, error)
        }
    }

    func child(_ name: String) -> ChildProcess? {
        children.withLock { $0[name] }
    }

    func setChild(_ name: String, _ child: ChildProcess?) {
        children.withLock { $0[name] = child }
        if let child, ownership.withLock({ $0.owned }) {
            SandboxReaper.register(pid: child.pid, sandbox: directory)
        }
    }
}
