import Foundation
import Glibc
import Posix
import Upstream

/// Builds a sandbox: directory, users, servers, replication, VIP. Blocking.
struct SandboxBuilder {
    var options: SandboxOptions

    func build() throws(SandboxError) -> Sandbox {
        let binaries = try ServerBinaries.locate(requireHAProxy: options.vip)
        SandboxReaper.reapLeftovers()
        let (directory, temporary) = try makeDirectory()
        if temporary { SandboxReaper.registerTemporaryDirectory(directory) }
        let users = try SandboxUsers.create(in: directory)

        var configs: [ServerConfig] = []
        for number in 1...options.instances {
            configs.append(try serverConfig(name: "db\(number)", serverID: UInt32(number), domain: 0, directory: directory))
        }
        let downstreamConfig = options.downstream
            ? try serverConfig(name: "downstream", serverID: 100, domain: 100, directory: directory) : nil
        let records = configs.enumerated().map { Self.record($0.element, number: $0.offset + 1) }
        let manifest = SandboxManifest(
            directory: directory, ownerPID: getpid(), temporary: temporary, instances: records, primary: 1,
            downstream: downstreamConfig.map { Self.record($0, number: 0) }, users: users, vip: nil)
        let sandbox = Sandbox(manifest: manifest, owned: true)
        do throws(SandboxError) {
            try manifest.save()
            let all = configs + (downstreamConfig.map { [$0] } ?? [])
            for config in all { try ServerProcess.prepare(config, binaries: binaries) }
            for record in records + (manifest.downstream.map { [$0] } ?? []) {
                let child = try ServerProcess.spawn(record, binaries: binaries)
                sandbox.setChild(record.name, child)
                sandbox.updateRecord(record.name) { $0.pid = child.pid }
            }
            let started = sandbox.manifest
            for record in started.instances + (started.downstream.map { [$0] } ?? []) {
                try ServerProcess.waitUntilReady(record, child: sandbox.child(record.name))
                try sandbox.root(record, "create the sandbox users on \(record.name)", SandboxUsers.statements(for: users))
            }
            if options.replicate { try sandbox.setUpReplication() }
            if options.vip { try HAProxyProcess.start(for: sandbox, haproxy: binaries.haproxy ?? "haproxy") }
            return sandbox
        } catch {
            sandbox.shutdown()
            throw error
        }
    }

    private func makeDirectory() throws(SandboxError) -> (String, Bool) {
        guard let requested = options.directory else {
            return (try SandboxDirectory.makeTemporary(prefix: "dmswitch-sandbox-\(getpid())-"), true)
        }
        let directory = SandboxDirectory.absolute(requested)
        if let existing = try? SandboxManifest.load(directory: directory) {
            let records = existing.instances + (existing.downstream.map { [$0] } ?? [])
            if records.contains(where: { $0.pid.map(ProcessSignal.isRunning) ?? false }) {
                throw SandboxError("start a sandbox in \(directory)", "a sandbox is already running there; stop it with `dmsandbox down --dir \(directory)`")
            }
            throw SandboxError("start a sandbox in \(directory)", "it holds a stopped sandbox; remove it with `dmsandbox down --dir \(directory)` first")
        }
        // Other files (a writer's id list from an earlier run) may stay; what the sandbox creates may not exist.
        let created = Set((1...options.instances).map { "db\($0)" } + ["downstream", "haproxy", "secrets"])
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let clashes = contents.filter(created.contains).sorted()
        if !clashes.isEmpty {
            throw SandboxError("start a sandbox in \(directory)", "it already holds \(clashes.joined(separator: ", ")); remove them or use another directory")
        }
        try SandboxDirectory.create(directory)
        return (directory, false)
    }

    private func serverConfig(name: String, serverID: UInt32, domain: UInt32, directory: String) throws(SandboxError) -> ServerConfig {
        let port: UInt16
        do { port = try FreePort.allocate() } catch { throw SandboxError("choose a port for \(name)", error) }
        return ServerConfig(
            name: name, port: port, serverID: serverID, gtidDomainID: domain, directory: directory + "/" + name,
            maxConnections: options.maxConnections, slaveNetTimeoutSeconds: options.slaveNetTimeoutSeconds)
    }

    private static func record(_ config: ServerConfig, number: Int) -> InstanceRecord {
        InstanceRecord(
            name: config.name, number: number, host: "127.0.0.1", port: config.port, serverID: config.serverID,
            gtidDomainID: config.gtidDomainID, pid: nil, status: .running, socket: config.socket,
            dataDirectory: config.dataDirectory, configFile: config.configFile, errorLog: config.errorLog)
    }
}
