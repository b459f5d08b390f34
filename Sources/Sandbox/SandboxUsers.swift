import Foundation
import Upstream

/// The users every sandbox server gets, and their passwords.
///
/// The monitoring user has exactly what dmswitch's probe needs on MariaDB
/// 10.5.9 and later (checked statement by statement against 10.11):
/// `BINLOG MONITOR` for `SHOW BINARY LOGS` and `SHOW BINLOG EVENTS` (gtid-P),
/// `SLAVE MONITOR` (alias `REPLICA MONITOR`) for `SHOW SLAVE STATUS`; the
/// system variables of the probe's SELECT need no privilege. On MySQL the
/// equivalent is `REPLICATION CLIENT` (MySQL 8.0 Reference Manual, 13.7.7.35).
enum SandboxUsers {
    static let monitorPrivileges = "BINLOG MONITOR, SLAVE MONITOR ON *.*"
    static let replicationPrivileges = "REPLICATION SLAVE ON *.*"
    static let writerPrivileges = "ALL PRIVILEGES ON `dmsandbox`.*"
    static let adminPrivileges = "ALL PRIVILEGES ON *.*"

    /// Creates the password files in `DIR/secrets` and returns the users' records.
    static func create(in directory: String) throws(SandboxError) -> UsersRecord {
        let secrets = directory + "/secrets"
        try SandboxDirectory.create(secrets, mode: 0o700)
        func user(_ name: String, _ privileges: String, grantOption: Bool = false) throws(SandboxError) -> UserRecord {
            let path = "\(secrets)/\(name).password"
            let password = randomPassword()
            guard FileManager.default.createFile(atPath: path, contents: Data((password + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw SandboxError("write the password file \(path)", "the file could not be created")
            }
            return UserRecord(user: name, passwordFile: path, privileges: privileges, grantOption: grantOption)
        }
        return UsersRecord(
            monitor: try user("dmswitch", monitorPrivileges),
            replication: try user("repl", replicationPrivileges),
            writer: try user("writer", writerPrivileges),
            admin: try user("admin", adminPrivileges, grantOption: true)
        )
    }

    /// The statements that create the users on one server. Run with the binary
    /// log off for the session, so every server keeps an empty GTID history
    /// and replication starts from the same point everywhere.
    static func statements(for users: UsersRecord) throws(SandboxError) -> [String] {
        var statements = ["SET SESSION sql_log_bin = 0"]
        for record in [users.monitor, users.replication, users.writer, users.admin] {
            let credentials = try record.credentials()
            let account = "\(SQLText.literal(record.user))@'127.0.0.1'"
            statements.append("CREATE OR REPLACE USER \(account) IDENTIFIED BY \(SQLText.literal(credentials.password))")
            statements.append("GRANT \(record.privileges) TO \(account)" + (record.grantOption ? " WITH GRANT OPTION" : ""))
        }
        statements.append("SET SESSION sql_log_bin = 1")
        return statements
    }

    private static func randomPassword() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String(UInt8.random(in: 0..<16, using: &generator), radix: 16) }.joined()
    }
}
