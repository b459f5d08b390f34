import Upstream

/// A failed conversation with a server, phrased for DM-style replies.
struct ServerFailure: Error, CustomStringConvertible {
    /// MySQL/MariaDB error number; 0 when the failure is not a server or client-library error.
    var errno: UInt32
    var description: String

    init(_ error: MySQLError) {
        errno = error.errno
        description = "\(error.operation) failed: ERROR \(error.errno) (\(error.sqlstate)): \(error.message)"
    }

    init(_ text: String) {
        errno = 0
        description = text
    }
}

/// The connections one dmsim invocation opens, at most one per server and login.
///
/// dmsim is a short-lived process: it connects on first use and closes everything at exit.
/// All calls block the calling thread; dmsim is a synchronous command-line program without a
/// concurrency pool, so that is its main thread (or `sim-watch`'s loop).
final class ServerLinks {
    private var open: [String: MySQLConnection] = [:]
    let timeouts: ConnectionTimeouts

    init(timeoutSeconds: Int) {
        let seconds = Duration.seconds(max(1, timeoutSeconds))
        timeouts = ConnectionTimeouts(connect: seconds, read: seconds, write: seconds)
    }

    /// An open connection to `endpoint`, reused while it is healthy.
    func connection(_ endpoint: DBEndpoint) throws(ServerFailure) -> MySQLConnection {
        let key = "\(endpoint.user)@\(endpoint.address)"
        if let existing = open[key], !existing.isBroken { return existing }
        guard let port = UInt16(exactly: endpoint.port) else {
            throw ServerFailure("The port \(endpoint.port) of \(endpoint.host) is not a TCP port.")
        }
        do {
            let connection = try MySQLConnection(
                to: InstanceAddress(host: endpoint.host, port: port),
                credentials: MySQLCredentials(user: endpoint.user, password: endpoint.password),
                timeouts: timeouts)
            open[key] = connection
            return connection
        } catch {
            throw ServerFailure(error)
        }
    }

    func query(_ endpoint: DBEndpoint, _ sql: String) throws(ServerFailure) -> [Row] {
        let link = try connection(endpoint)
        do { return try link.query(sql) } catch { throw ServerFailure(error) }
    }

    func execute(_ endpoint: DBEndpoint, _ sql: String) throws(ServerFailure) {
        let link = try connection(endpoint)
        do { try link.execute(sql) } catch { throw ServerFailure(error) }
    }

    func closeAll() {
        for connection in open.values { connection.close() }
        open.removeAll()
    }
}
