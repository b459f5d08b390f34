import GTID
import Synchronization

/// Reads one instance's state: the blocking half of the observation pool.
///
/// `observe()` blocks for up to the connect timeout plus the probe deadline and
/// must run on a dedicated thread (the `ObservationPool` gives each instance
/// one). Round trips per probe on a kept connection: one multi-variable SELECT,
/// the replication status, and on MariaDB `SHOW BINARY LOGS` plus the first
/// events of the oldest log (for gtid-P).
///
/// `observe()` is not reentrant; `interrupt()` may be called from any thread.
public final class InstanceProbe: Sendable {
    public let address: InstanceAddress
    public let credentials: MySQLCredentials
    public let options: ProbeOptions

    private let state = Mutex(ProbeState())

    private struct ProbeState {
        var connection: MySQLConnection?
        /// Set by `interrupt()`; the running probe stops at its next step.
        var interrupted = false
    }

    public init(address: InstanceAddress, credentials: MySQLCredentials, options: ProbeOptions = ProbeOptions()) {
        self.address = address
        self.credentials = credentials
        self.options = options
    }

    /// Probes the instance now. Blocking.
    public func observe() -> InstanceObservation {
        let started = ContinuousClock.now
        state.withLock { $0.interrupted = false }
        let outcome = observeOutcome()
        return InstanceObservation(instance: address, startedAt: started, duration: ContinuousClock.now - started, outcome: outcome)
    }

    /// Ends a probe in progress: shuts its connection down so a blocked read
    /// returns now, and makes a probe still connecting stop once connected.
    public func interrupt() {
        let connection = state.withLock { state -> MySQLConnection? in
            state.interrupted = true
            return state.connection
        }
        connection?.interrupt()
    }

    /// Closes the kept connection, if any.
    public func close() {
        let connection = state.withLock { state -> MySQLConnection? in
            defer { state.connection = nil }
            return state.connection
        }
        connection?.close()
    }

    private func observeOutcome() -> InstanceObservation.Outcome {
        var mayRetry = true
        while true {
            let kept = options.reuseConnection ? state.withLock { $0.connection } : nil
            let connection: MySQLConnection
            let reused: Bool
            if let kept, !kept.isBroken {
                connection = kept
                reused = true
            } else {
                close()
                do {
                    connection = try MySQLConnection(to: address, credentials: credentials, timeouts: options.timeouts)
                } catch {
                    return .failed(ProbeFailure(error))
                }
                let interrupted = state.withLock { state -> Bool in
                    state.connection = connection
                    return state.interrupted
                }
                if interrupted {
                    close()
                    return .failed(deadlineFailure())
                }
                reused = false
            }
            do throws(ReadFailure) {
                let observed = try Self.readState(from: connection)
                if !options.reuseConnection { close() }
                return .reachable(observed)
            } catch {
                close()
                switch error {
                case .mysql(let error):
                    if reused && mayRetry && error.kind == .connectionLost {
                        mayRetry = false
                        continue
                    }
                    return .failed(ProbeFailure(error))
                case .parse(let error):
                    return .failed(ProbeFailure(kind: .other, message: "\(address) answered the probe, but: \(error.description)"))
                }
            }
        }
    }

    private func deadlineFailure() -> ProbeFailure {
        ProbeFailure(kind: .timedOut,
                     message: "Could not probe \(address): the probe deadline of \(options.effectiveDeadline) passed while connecting.")
    }

    enum ReadFailure: Error {
        case mysql(MySQLError)
        case parse(ObservationParseError)
    }

    /// Reads an instance's state over an open connection.
    static func readState(from connection: MySQLConnection) throws(ReadFailure) -> InstanceState {
        func query(_ sql: String) throws(ReadFailure) -> [Row] {
            do { return try connection.query(sql) } catch { throw .mysql(error) }
        }
        func parse<T>(_ body: () throws(ObservationParseError) -> T) throws(ReadFailure) -> T {
            do { return try body() } catch { throw .parse(error) }
        }

        let handshake = ServerVersion(version: connection.serverVersion)
            ?? ServerVersion(flavor: .mysql, major: 0, minor: 0, patch: 0, text: connection.serverVersion)
        let variableRows = try query(ServerVariables.statement(for: handshake))
        guard let variableRow = variableRows.first else {
            throw .parse(ObservationParseError(field: "the server variables", text: nil, reason: "the SELECT returned no row"))
        }
        let values = try parse { () throws(ObservationParseError) in try ServerVariables.parse(variableRow, flavor: handshake.flavor) }
        let replicationRows = try query(ReplicationStatusParser.statement(for: values.version))
        let replication = try parse { () throws(ObservationParseError) in
            try ReplicationStatusParser.parse(replicationRows, flavor: handshake.flavor, gtidSlavePos: values.gtidSlavePos)
        }
        let gtidP: GTIDValue
        if let purged = values.gtidP {
            gtidP = purged
        } else if values.preflight.logBin {
            gtidP = try readMariaDBPurged(connection, query: query)
        } else {
            gtidP = .empty(handshake.flavor)
        }
        return InstanceState(
            version: values.version, versionComment: values.versionComment, serverIdentity: values.serverIdentity,
            serverID: values.serverID, gtidDomainID: values.gtidDomainID, readOnly: values.readOnly,
            gtidE: values.gtidE, gtidP: gtidP, replication: replication, preflight: values.preflight
        )
    }

    /// MariaDB gtid-P from the oldest binary log. A purge between listing the logs
    /// and reading the oldest one makes the read fail (error 1220); listing again once covers it.
    private static func readMariaDBPurged(
        _ connection: MySQLConnection, query: (String) throws(ReadFailure) -> [Row]
    ) throws(ReadFailure) -> GTIDValue {
        var attempts = 0
        while true {
            attempts += 1
            let logs = try query(BinlogGtidList.listStatement)
            let oldest: String
            do { oldest = try BinlogGtidList.oldestLog(logs) } catch { throw .parse(error) }
            let events: [Row]
            do {
                events = try connection.query(BinlogGtidList.eventsStatement(logName: oldest))
            } catch {
                if attempts < 2 && error.kind == .server { continue }
                throw .mysql(error)
            }
            do { return try BinlogGtidList.purged(fromEvents: events, logName: oldest) } catch { throw .parse(error) }
        }
    }
}
