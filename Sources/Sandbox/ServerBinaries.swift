import Foundation

/// The programs a sandbox runs, found on this machine.
///
/// Integration tests never skip: a missing server binary is a failure whose
/// message says which Debian package provides it (`make deps` installs them).
public struct ServerBinaries: Sendable {
    public var mariadbd: String
    public var installDB: String
    public var haproxy: String?

    /// Finds the programs; `requireHAProxy` makes a missing haproxy an error too.
    public static func locate(requireHAProxy: Bool = false) throws(SandboxError) -> ServerBinaries {
        let environment = ProcessInfo.processInfo.environment
        func find(_ variable: String, _ candidates: [String]) -> String? {
            if let path = environment[variable], FileManager.default.isExecutableFile(atPath: path) { return path }
            return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        guard let mariadbd = find("DMSWITCH_MARIADBD", ["/usr/sbin/mariadbd", "/usr/sbin/mysqld"]) else {
            throw SandboxError("start a MariaDB server",
                               "/usr/sbin/mariadbd is missing; install Debian's mariadb-server (`make deps`) – integration tests need a real server and never skip")
        }
        guard let installDB = find("DMSWITCH_MARIADB_INSTALL_DB", ["/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db"]) else {
            throw SandboxError("initialize a MariaDB data directory",
                               "/usr/bin/mariadb-install-db is missing; install Debian's mariadb-server (`make deps`)")
        }
        let haproxy = find("DMSWITCH_HAPROXY", ["/usr/sbin/haproxy"])
        if requireHAProxy && haproxy == nil {
            throw SandboxError("start the HAProxy VIP", "/usr/sbin/haproxy is missing; install Debian's haproxy (`make deps`)")
        }
        return ServerBinaries(mariadbd: mariadbd, installDB: installDB, haproxy: haproxy)
    }
}
