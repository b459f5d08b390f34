import Glibc
import Posix
import Upstream

/// Making failures: kill -9, SIGSTOP/SIGCONT, restart.
extension Sandbox {
    /// Kills instance `number` with SIGKILL (its data directory stays for a restart).
    public func kill(_ number: Int) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in
            let record = try self.instance(number)
            try ServerProcess.kill(record, child: self.child(record.name))
            self.forgetProcess(record)
            self.updateRecord(record.name) {
                $0.pid = nil
                $0.status = .killed
            }
        }
    }

    /// Hangs instance `number` with SIGSTOP: the kernel still accepts TCP
    /// connections, the server answers nothing.
    public func stop(_ number: Int) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in
            let record = try self.instance(number)
            try ServerProcess.signal(SIGSTOP, record, child: self.child(record.name))
            self.updateRecord(record.name) { $0.status = .stopped }
        }
    }

    /// Resumes a SIGSTOPped instance with SIGCONT.
    public func cont(_ number: Int) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in
            let record = try self.instance(number)
            try ServerProcess.signal(SIGCONT, record, child: self.child(record.name))
            self.updateRecord(record.name) { $0.status = .running }
        }
    }

    /// Starts instance `number` again on the same data directory and port
    /// (after shutting it down cleanly if it runs, or killing it if it is
    /// stopped), and gives it its role back: read_only off on the primary; on
    /// a replica read_only on and, if it no longer replicates (an old primary),
    /// replication from the current primary.
    public func restart(_ number: Int) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in
            let record = try self.instance(number)
            try self.restartNow(record)
            let manifest = self.manifest
            if record.number == manifest.primary {
                try self.root(record, "make \(record.name) writable again", ["SET GLOBAL read_only = 0"])
                return
            }
            let rows = try self.rootQuery(record, "read the replication status of \(record.name)", "SHOW SLAVE STATUS")
            let current = self.primary
            let source = rows.first.flatMap { row in row["Master_Port"].flatMap(UInt16.init) }
            if source != current.port {
                try self.replicate(record, from: current)
            } else {
                try self.root(record, "make \(record.name) read-only again", ["SET GLOBAL read_only = 1"])
            }
        }
    }

    /// Stops (if needed) and starts a server, downstream included. Blocking.
    func restartNow(_ record: InstanceRecord) throws(SandboxError) {
        let binaries = try ServerBinaries.locate()
        switch record.status {
        case .running: try ServerProcess.terminate(record, child: child(record.name))
        case .stopped: try ServerProcess.kill(record, child: child(record.name))
        case .killed: break
        }
        forgetProcess(record)
        let child = try ServerProcess.spawn(record, binaries: binaries)
        setChild(record.name, child)
        updateRecord(record.name) {
            $0.pid = child.pid
            $0.status = .running
        }
        var started = record
        started.pid = child.pid
        try ServerProcess.waitUntilReady(started, child: child)
    }

    private func forgetProcess(_ record: InstanceRecord) {
        if let pid = record.pid { SandboxReaper.forget(pid: pid, sandbox: directory) }
        setChild(record.name, nil)
    }
}
