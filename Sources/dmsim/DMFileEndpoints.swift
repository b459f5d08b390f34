import DM

/// An address and login of a MySQL/MariaDB server as written in a DM file or inventory.
struct DBEndpoint: Codable, Equatable, Sendable {
    var host: String
    var port: Int
    var user: String
    var password: String

    var address: String { "\(host):\(port)" }

    /// A DM-worker logs in as root with an empty password when the file names no login.
    init(host: String, port: Int, user: String?, password: String?) {
        self.host = host
        self.port = port
        self.user = user ?? "root"
        self.password = password ?? ""
    }
}

/// What dmsim takes from module DM's readers of source and task files: the logins it uses
/// where a DM-worker would.
extension DMSourceFile {
    /// `from`.
    var from: DBEndpoint { DBEndpoint(host: host, port: port, user: user, password: password) }

    /// `flavor`, or mariadb (the only servers dmsim drives) when DM is left to detect it.
    var flavorName: String { flavor?.rawValue ?? "mariadb" }
}

extension DMTaskFile {
    /// `target-database`.
    var target: DBEndpoint { DBEndpoint(host: targetHost, port: targetPort, user: targetUser, password: targetPassword) }

    /// `meta.binlog-gtid` of the source's `mysql-instances` entry, "" when it has none.
    func metaGTID(of sourceID: String) -> String {
        instances.first { $0.sourceID == sourceID }?.metaBinlogGTID ?? ""
    }
}
