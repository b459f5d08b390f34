/// Maps MySQL/MariaDB error numbers to `MySQLError.Kind`.
///
/// Numbers come from the server's `mysqld_error.h` and the client library's
/// `errmsg.h` (MariaDB Connector/C 3.x); they are the same in MySQL for the
/// codes listed here. The transport-level kinds (refused, timed out, lost)
/// cannot be told apart by the number alone – Connector/C reports 2002 for a
/// refused TCP connect and 2013 for both a timeout and a closed socket – so the
/// connection refines those with elapsed time and its own TCP check.
enum ErrorClassification {
    /// MHA's "alive" errors: the server answered but refuses new work.
    static let aliveErrors: Set<UInt32> = [
        1040, // ER_CON_COUNT_ERROR: too many connections
        1129, // ER_HOST_IS_BLOCKED: host blocked after max_connect_errors
        1203, // ER_TOO_MANY_USER_CONNECTIONS: max_user_connections
        1226, // ER_USER_LIMIT_REACHED: max_questions / max_connections_per_hour
    ]

    /// The server rejected who we are.
    static let authErrors: Set<UInt32> = [
        1044, // ER_DBACCESS_DENIED_ERROR
        1045, // ER_ACCESS_DENIED_ERROR
        1130, // ER_HOST_NOT_PRIVILEGED: host not allowed to connect
        1251, // ER_NOT_SUPPORTED_AUTH_MODE
        1698, // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
        1862, // ER_MUST_CHANGE_PASSWORD_LOGIN (MySQL)
        2049, // CR_SECURE_AUTH: old password hash refused
        2059, // CR_AUTH_PLUGIN_CANNOT_LOAD
        2061, // CR_AUTH_PLUGIN_ERR (MySQL caching_sha2 over an insecure channel)
    ]

    /// The server refused a statement for a missing privilege.
    static let privilegeErrors: Set<UInt32> = [
        1142, // ER_TABLEACCESS_DENIED_ERROR
        1143, // ER_COLUMNACCESS_DENIED_ERROR
        1227, // ER_SPECIFIC_ACCESS_DENIED_ERROR
        1370, // ER_PROCACCESS_DENIED_ERROR
    ]

    /// Client-library errors about the TLS layer.
    static let tlsErrors: Set<UInt32> = [
        2026, // CR_SSL_CONNECTION_ERROR
    ]

    /// Client-library errors that mean the transport failed.
    static let transportErrors: Set<UInt32> = [
        2002, // CR_CONNECTION_ERROR (Connector/C uses it for TCP connect failures too)
        2003, // CR_CONN_HOST_ERROR
        2006, // CR_SERVER_GONE_ERROR
        2013, // CR_SERVER_LOST
        2055, // CR_SERVER_LOST_EXTENDED
    ]

    /// Client-library errors that mean the host name did not resolve.
    static let unknownHostErrors: Set<UInt32> = [
        2005, // CR_UNKNOWN_HOST
    ]

    /// The kind for an error number when no transport detail is known.
    static func kind(errno: UInt32) -> MySQLError.Kind {
        if aliveErrors.contains(errno) { return .aliveError }
        if authErrors.contains(errno) { return .authFailure }
        if privilegeErrors.contains(errno) { return .privilege }
        if tlsErrors.contains(errno) { return .tls }
        if transportErrors.contains(errno) { return .connectionLost }
        if unknownHostErrors.contains(errno) { return .unreachable }
        if errno >= 2000 && errno < 3000 { return .client }
        return .server
    }
}
