import Upstream

/// Inserts numbered rows into `dmsandbox.<table>` as the sandbox's writer user.
///
/// Each INSERT autocommits, so an id is "acknowledged" exactly when the
/// server answered the INSERT: that is the set a failover must not lose.
struct RowWriter: Sendable {
    let table: String
    let credentials: MySQLCredentials

    init(sandbox: Sandbox, table: String) throws(SandboxError) {
        guard SQLText.isPlainIdentifier(table) else {
            throw SandboxError("write rows", "the table name \"\(table)\" is not a plain identifier (letters, digits, underscore)")
        }
        self.init(table: table, credentials: try sandbox.credentials(.writer))
    }

    /// For callers that checked the table name already.
    init(table: String, credentials: MySQLCredentials) {
        self.table = table
        self.credentials = credentials
    }

    /// Connects to `address` and makes sure the table exists.
    func connect(to address: InstanceAddress, timeouts: ConnectionTimeouts = ConnectionTimeouts()) throws(SandboxError) -> MySQLConnection {
        do {
            let connection = try MySQLConnection(to: address, credentials: credentials, timeouts: timeouts)
            try connection.execute("CREATE DATABASE IF NOT EXISTS dmsandbox")
            try connection.execute(
                "CREATE TABLE IF NOT EXISTS dmsandbox.\(table) (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                    + "payload VARCHAR(64) NOT NULL, written_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB")
            return connection
        } catch {
            throw SandboxError("prepare dmsandbox.\(table) on \(address)", error)
        }
    }

    /// Inserts one row and returns its acknowledged id.
    func insert(on connection: MySQLConnection) throws(SandboxError) -> UInt64 {
        do {
            return try connection.execute("INSERT INTO dmsandbox.\(table) (payload) VALUES ('dmsandbox')").lastInsertID
        } catch {
            throw SandboxError("insert into dmsandbox.\(table) on \(connection.address)", error)
        }
    }
}
