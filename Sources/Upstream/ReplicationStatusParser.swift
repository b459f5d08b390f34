import GTID

/// Reads `SHOW REPLICA STATUS` / `SHOW SLAVE STATUS` rows into `ReplicationStatus`.
///
/// Pure, so the MySQL flavor (no MySQL server can run in tests) is tested on
/// recorded rows. Column names (MySQL 8.0 Reference Manual, 13.7.7.35 "SHOW
/// REPLICA STATUS Statement"; MySQL 5.7 Reference Manual, 13.7.5.34 "SHOW
/// SLAVE STATUS Statement"; MariaDB Knowledge Base "SHOW REPLICA STATUS"):
/// MySQL 8.0.22 renamed `Master_*`/`Slave_*` columns to `Source_*`/`Replica_*`;
/// MariaDB keeps the old names and adds `Using_Gtid`, `Gtid_IO_Pos`, `Gtid_Slave_Pos`.
/// Look-ups therefore try the new name, then the old one.
public enum ReplicationStatusParser {
    /// The statement that reads replication status on `version`.
    public static func statement(for version: ServerVersion) -> String {
        version.flavor == .mysql && version.isAtLeast(8, 0, 22) ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS"
    }

    /// Parses the rows of the status statement; nil when the instance is not a replica.
    ///
    /// - Parameters:
    ///   - rows: the result; MySQL returns one row per channel, the default channel (`""`) is used.
    ///   - flavor: which GTID notation the sets use.
    ///   - gtidSlavePos: MariaDB `@@gtid_slave_pos`, used as `executed` when the row has no `Gtid_Slave_Pos`.
    public static func parse(
        _ rows: [Row], flavor: GTIDFlavor, gtidSlavePos: String? = nil
    ) throws(ObservationParseError) -> ReplicationStatus? {
        let row = rows.first { ($0["Channel_Name"] ?? "") == "" } ?? rows.first
        guard let row else { return nil }
        let statement = row.hasColumn("Source_Host") ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS"
        func field(_ names: String...) -> String? {
            for name in names where row.hasColumn(name) { return row[name] }
            return nil
        }
        func required(_ names: String...) throws(ObservationParseError) -> String {
            for name in names where row.hasColumn(name) {
                if let value = row[name] { return value }
            }
            throw ObservationParseError(field: "\(names[0]) of \(statement)", text: nil, reason: "the column is missing or NULL")
        }
        func number<T: FixedWidthInteger>(_ text: String?, _ name: String) throws(ObservationParseError) -> T? {
            guard let text, !text.isEmpty else { return nil }
            guard let value = T(text) else {
                throw ObservationParseError(field: "\(name) of \(statement)", text: text, reason: "it is not a number in range")
            }
            return value
        }
        func gtid(_ text: String?, _ name: String) throws(ObservationParseError) -> GTIDValue? {
            guard let text else { return nil }
            do {
                return try GTIDValue(text, flavor: flavor)
            } catch {
                throw ObservationParseError(field: "\(name) of \(statement)", text: text, reason: error.description)
            }
        }

        let host = try required("Source_Host", "Master_Host")
        guard !host.isEmpty else { return nil }
        let portText = try required("Source_Port", "Master_Port")
        guard let port: UInt16 = try number(portText, "Source_Port") else {
            throw ObservationParseError(field: "Source_Port of \(statement)", text: portText, reason: "it is empty")
        }

        let received: GTIDValue?
        let executed: GTIDValue?
        let positioning: String
        switch flavor {
        case .mysql:
            received = try gtid(field("Retrieved_Gtid_Set"), "Retrieved_Gtid_Set")
            executed = try gtid(field("Executed_Gtid_Set"), "Executed_Gtid_Set")
            positioning = field("Auto_Position") ?? "0"
        case .mariadb:
            positioning = field("Using_Gtid") ?? "No"
            received = positioning.lowercased() == "no" ? nil : try gtid(field("Gtid_IO_Pos") ?? "", "Gtid_IO_Pos")
            executed = try gtid(field("Gtid_Slave_Pos") ?? gtidSlavePos, "Gtid_Slave_Pos")
        }

        return ReplicationStatus(
            sourceHost: host,
            sourcePort: port,
            sourceServerID: try number(field("Source_Server_Id", "Master_Server_Id"), "Source_Server_Id").flatMap { $0 == 0 ? nil : $0 },
            sourceUUID: field("Source_UUID", "Master_UUID").flatMap { $0.isEmpty ? nil : $0 },
            ioThread: ReplicationThreadState(try required("Replica_IO_Running", "Slave_IO_Running")),
            sqlThread: ReplicationThreadState(try required("Replica_SQL_Running", "Slave_SQL_Running")),
            ioStateText: field("Replica_IO_State", "Slave_IO_State") ?? "",
            lastIOErrno: try number(field("Last_IO_Errno"), "Last_IO_Errno") ?? 0,
            lastIOError: field("Last_IO_Error") ?? "",
            lastSQLErrno: try number(field("Last_SQL_Errno"), "Last_SQL_Errno") ?? 0,
            lastSQLError: field("Last_SQL_Error") ?? "",
            received: received,
            executed: executed,
            secondsBehind: try number(field("Seconds_Behind_Source", "Seconds_Behind_Master"), "Seconds_Behind_Source"),
            gtidPositioning: positioning
        )
    }
}
