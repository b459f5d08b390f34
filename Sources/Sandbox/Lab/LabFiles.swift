import Posix

/// The files a DM operator keeps next to DM, written for a lab: the DM
/// source and task files, the DM-Ansible inventory, the hooks, and
/// dmswitch.toml.
enum LabFiles {
    /// Written with O_CLOEXEC: a script must not be open for writing in some
    /// child forked meanwhile when it is executed ("Text file busy").
    static func write(_ text: String, to path: String, executable: Bool = false) throws(SandboxError) {
        do {
            try AtomicFile.write(path: path, text: text, mode: executable ? 0o755 : 0o644)
        } catch {
            throw SandboxError("write \(path)", error)
        }
    }

    /// A DM source file reading from `host:port` as the admin user (DM needs
    /// more than replication rights: it reads the master status too).
    static func source(host: String, port: UInt16, user: String, password: String, relay: Bool) -> String {
        """
        # DM source file kept by the operator (dmswitch rewrites from.host/from.port).
        source-id: "\(LabOptions.sourceID)"
        enable-gtid: true
        enable-relay: \(relay)
        flavor: mariadb
        from:
          host: "\(host)"
          port: \(port)
          user: "\(user)"
          password: "\(password)"
        """
    }

    static func task(downstreamPort: UInt16, user: String, password: String) -> String {
        """
        # DM task file kept by the operator (start-task uses it; never --remove-meta).
        name: "\(LabOptions.taskName)"
        task-mode: incremental
        target-database:
          host: "127.0.0.1"
          port: \(downstreamPort)
          user: "\(user)"
          password: "\(password)"
        mysql-instances:
          - source-id: "\(LabOptions.sourceID)"
        """
    }

    static func inventory(host: String, port: UInt16, user: String, password: String) -> String {
        """
        # DM-Ansible inventory (v1.0): dmswitch rewrites mysql_host/mysql_port of the worker.
        [dm_worker_servers]
        \(LabOptions.workerAlias) ansible_host=127.0.0.1 server_id=101 source_id="\(LabOptions.sourceID)" mysql_host=\(host) mysql_user=\(user) mysql_password='\(password)' mysql_port=\(port) enable_gtid=true
        """
    }

    /// The VIP hook: the operator-facing HAProxy example, with the lab's socket.
    static func vipHook(example: String, adminSocket: String, backend: String) -> String {
        """
        #!/bin/sh
        # Moves the lab's VIP (an HAProxy backend) with dmswitch's example hook.
        HAPROXY_SOCKET='\(adminSocket)' HAPROXY_BACKEND='\(backend)' exec '\(example)'
        """
    }
}
