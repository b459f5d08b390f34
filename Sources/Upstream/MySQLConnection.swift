import CMariaDB
import Glibc
import Synchronization

/// One client connection to a MySQL or MariaDB instance, owning its `MYSQL*` handle.
///
/// Every call blocks the calling thread until the server answers or a timeout
/// fires, so callers run it on a dedicated thread (`MySQLThread`, the
/// `ObservationPool`'s workers), never on the Swift concurrency pool.
/// Calls are serialized by a lock around the handle, which is what makes the
/// type `Sendable`; `interrupt()` is the one method meant to be called from
/// another thread while a call is blocked: it shuts the socket down so the
/// blocked call returns at once (the prober's deadline).
public final class MySQLConnection: Sendable {
    /// The instance this connection talks to.
    public let address: InstanceAddress
    /// The server version from the handshake, e.g. `10.11.6-MariaDB-log` or `8.0.36`.
    public let serverVersion: String
    /// The timeouts the connection was opened with.
    public let timeouts: ConnectionTimeouts

    private let handle: Mutex<Handle>
    private let interruption: Mutex<Interruption>

    private struct Handle: ~Copyable {
        var mysql: UnsafeMutablePointer<MYSQL>?
        /// Set once a call lost the connection; later calls fail at once.
        var broken: MySQLError?
    }

    private struct Interruption {
        /// A duplicate of the connection's socket, owned by us, so `interrupt()`
        /// never touches a descriptor number the library may have closed and reused.
        var socket: Int32 = -1
        var interrupted = false
    }

    /// Connects, authenticates and (with `credentials.tls`) negotiates TLS.
    ///
    /// - Parameter unixSocket: connect through this Unix socket instead of TCP
    ///   (the sandbox's administrative connections); `address` then only names the instance.
    public init(
        to address: InstanceAddress,
        credentials: MySQLCredentials,
        timeouts: ConnectionTimeouts = ConnectionTimeouts(),
        unixSocket: String? = nil
    ) throws(MySQLError) {
        self.address = address
        self.timeouts = timeouts
        let operation = "connect to \(address)" + (unixSocket.map { " through \($0)" } ?? "") + " as \(credentials.user)"
        guard MariaDBLibrary.ensureInitialized(), let mysql = mysql_init(nil) else {
            throw MySQLError(errno: 2008, sqlstate: "HY000", message: "The client library could not allocate a connection", operation: operation, kind: .client)
        }
        Self.applyOptions(mysql, timeouts: timeouts, tls: credentials.tls)
        let started = ContinuousClock.now
        let connected: UnsafeMutablePointer<MYSQL>? =
            if let unixSocket {
                mysql_real_connect(mysql, nil, credentials.user, credentials.password, nil, 0, unixSocket, 0)
            } else {
                mysql_real_connect(mysql, address.host, credentials.user, credentials.password, nil, UInt32(address.port), nil, 0)
            }
        guard connected != nil else {
            let error = Self.connectError(mysql, operation: operation, address: address, unixSocket: unixSocket,
                                          timeouts: timeouts, elapsed: ContinuousClock.now - started)
            mysql_close(mysql)
            throw error
        }
        serverVersion = String(cString: mysql_get_server_info(mysql))
        let duplicate = fcntl(mysql_get_socket(mysql), F_DUPFD_CLOEXEC, 0)
        handle = Mutex(Handle(mysql: mysql, broken: nil))
        interruption = Mutex(Interruption(socket: duplicate, interrupted: false))
    }

    deinit {
        close()
    }

    /// Runs a statement that returns rows (SELECT, SHOW) and returns them all.
    public func query(_ sql: String) throws(MySQLError) -> [Row] {
        try run(sql) { mysql throws(MySQLError) -> [Row] in
            guard let result = mysql_store_result(mysql) else {
                if mysql_field_count(mysql) == 0 { return [] }
                throw self.statementError(mysql, sql: sql, elapsed: .zero)
            }
            defer { mysql_free_result(result) }
            return Self.rows(of: result)
        }
    }

    /// Runs a statement that returns no rows (DDL, DML, SET, CHANGE MASTER …).
    @discardableResult
    public func execute(_ sql: String) throws(MySQLError) -> ExecuteResult {
        try run(sql) { mysql throws(MySQLError) -> ExecuteResult in
            if let result = mysql_store_result(mysql) {
                mysql_free_result(result)
            }
            return ExecuteResult(affectedRows: mysql_affected_rows(mysql), lastInsertID: mysql_insert_id(mysql))
        }
    }

    /// Makes a call blocked in another thread return now with a timed-out error,
    /// and every later call fail. Safe to call from any thread, any number of times.
    public func interrupt() {
        interruption.withLock { state in
            guard state.socket >= 0 else { return }
            state.interrupted = true
            _ = shutdown(state.socket, Int32(SHUT_RDWR))
        }
    }

    /// True once a call lost the connection or the connection was interrupted or closed.
    public var isBroken: Bool {
        handle.withLock { $0.mysql == nil || $0.broken != nil }
    }

    /// Closes the connection (COM_QUIT) and frees the handle. Waits for a call in progress.
    public func close() {
        interruption.withLock { state in
            if state.socket >= 0 { _ = Glibc.close(state.socket) }
            state.socket = -1
        }
        handle.withLock { handle in
            if let mysql = handle.mysql { mysql_close(mysql) }
            handle.mysql = nil
        }
    }

    // MARK: - Internals

    private func run<T: Sendable>(_ sql: String, _ collect: (UnsafeMutablePointer<MYSQL>) throws(MySQLError) -> T) throws(MySQLError) -> T {
        try handle.withLock { handle throws(MySQLError) -> T in
            if let broken = handle.broken { throw broken }
            guard let mysql = handle.mysql else {
                throw MySQLError(errno: 2006, sqlstate: "HY000", message: "The connection is closed",
                                 operation: "run \(Self.abbreviate(sql)) on \(address)", kind: .client)
            }
            let started = ContinuousClock.now
            let status = sql.withCString { text in mysql_real_query(mysql, text, UInt(strlen(text))) }
            do throws(MySQLError) {
                guard status == 0 else {
                    throw statementError(mysql, sql: sql, elapsed: ContinuousClock.now - started)
                }
                return try collect(mysql)
            } catch {
                if error.kind.isDownEvidence { handle.broken = error }
                throw error
            }
        }
    }

    private func statementError(_ mysql: UnsafeMutablePointer<MYSQL>, sql: String, elapsed: Duration) -> MySQLError {
        var error = Self.libraryError(mysql, operation: "run \(Self.abbreviate(sql)) on \(address)")
        guard ErrorClassification.transportErrors.contains(error.errno) else { return error }
        let interrupted = interruption.withLock { $0.interrupted }
        if interrupted {
            error.kind = .timedOut
            error.message += " (the probe deadline passed and the connection was shut down)"
        } else if elapsed >= timeouts.effectiveRead - .milliseconds(200) {
            error.kind = .timedOut
            error.message += " (no answer within the read timeout of \(timeouts.readSeconds) s)"
        } else {
            error.kind = .connectionLost
        }
        return error
    }

    private static func connectError(
        _ mysql: UnsafeMutablePointer<MYSQL>, operation: String, address: InstanceAddress, unixSocket: String?,
        timeouts: ConnectionTimeouts, elapsed: Duration
    ) -> MySQLError {
        var error = libraryError(mysql, operation: operation)
        guard ErrorClassification.transportErrors.contains(error.errno) else { return error }
        if elapsed >= timeouts.effectiveConnect - .milliseconds(200) {
            error.kind = .timedOut
            error.message += " (no answer within the connect timeout of \(timeouts.connectSeconds) s)"
            return error
        }
        if unixSocket != nil {
            error.kind = error.errno == 2002 ? .refused : .connectionLost
            return error
        }
        guard error.errno == 2002 || error.errno == 2003 else {
            error.kind = .connectionLost
            return error
        }
        switch TCPConnectCheck.check(host: address.host, port: address.port, timeout: timeouts.effectiveConnect - elapsed) {
        case .refused:
            error.kind = .refused
            error.message = "Connection refused by \(address)"
        case .timedOut:
            error.kind = .timedOut
        case .unreachable(let code):
            error.kind = .unreachable
            error.message += " (\(String(cString: strerror(code))))"
        case .accepted, .failed:
            error.kind = .connectionLost
        }
        return error
    }

    private static func libraryError(_ mysql: UnsafeMutablePointer<MYSQL>, operation: String) -> MySQLError {
        let number = mysql_errno(mysql)
        return MySQLError(
            errno: number,
            sqlstate: String(cString: mysql_sqlstate(mysql)),
            message: String(cString: mysql_error(mysql)),
            operation: operation,
            kind: ErrorClassification.kind(errno: number)
        )
    }

    private static func applyOptions(_ mysql: UnsafeMutablePointer<MYSQL>, timeouts: ConnectionTimeouts, tls: TLSOptions?) {
        var connect = timeouts.connectSeconds
        var read = timeouts.readSeconds
        var write = timeouts.writeSeconds
        mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connect)
        mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &read)
        mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &write)
        _ = "utf8mb4".withCString { mysql_options(mysql, MYSQL_SET_CHARSET_NAME, $0) }
        guard let tls else { return }
        var enforce: my_bool = 1
        mysql_options(mysql, MYSQL_OPT_SSL_ENFORCE, &enforce)
        var verify: my_bool = tls.verifyServerCertificate ? 1 : 0
        mysql_options(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify)
        for (option, path) in [(MYSQL_OPT_SSL_CA, tls.caFile), (MYSQL_OPT_SSL_CERT, tls.certFile), (MYSQL_OPT_SSL_KEY, tls.keyFile)] {
            if let path { _ = path.withCString { mysql_options(mysql, option, $0) } }
        }
    }

    private static func rows(of result: UnsafeMutablePointer<MYSQL_RES>) -> [Row] {
        let count = Int(mysql_num_fields(result))
        guard count > 0, let fields = mysql_fetch_fields(result) else { return [] }
        let columns = (0..<count).map { String(cString: fields[$0].name) }
        var rows: [Row] = []
        while let row = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            let values: [String?] = (0..<count).map { column in
                guard let bytes = row[column] else { return nil }
                let buffer = UnsafeRawBufferPointer(start: bytes, count: Int(lengths[column]))
                return String(decoding: buffer, as: UTF8.self)
            }
            rows.append(Row(columns: columns, values: values))
        }
        return rows
    }

    /// The start of a statement for error messages (statements can be long).
    static func abbreviate(_ sql: String) -> String {
        let flat = sql.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 80 ? "\"\(flat.prefix(77))...\"" : "\"\(flat)\""
    }
}

/// What a statement without a result set did.
public struct ExecuteResult: Equatable, Sendable {
    /// Rows changed, deleted or inserted (`mysql_affected_rows`).
    public var affectedRows: UInt64
    /// The AUTO_INCREMENT value generated by an INSERT (`mysql_insert_id`), 0 when none.
    public var lastInsertID: UInt64
}
