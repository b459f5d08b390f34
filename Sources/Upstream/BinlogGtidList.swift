import Foundation
import GTID

/// MariaDB's gtid-P: the `Gtid_list` event at the start of the oldest binary log.
///
/// MariaDB has no `gtid_purged`. Every binary log starts with a `Gtid_list`
/// event holding the binlog GTID state at the file's start, i.e. the last GTID
/// of each domain/server written to earlier files; once those files are
/// purged, that list is exactly what is no longer available (MariaDB Knowledge
/// Base, "Gtid_list_log_event"). `SHOW BINLOG EVENTS` prints it as
/// `[0-1-100,1-2-5]` (`[]` when nothing precedes the file).
public enum BinlogGtidList {
    /// The statement listing the binary logs; the first row is the oldest.
    public static let listStatement = "SHOW BINARY LOGS"

    /// The statement reading the first events of `logName`.
    public static func eventsStatement(logName: String) -> String {
        "SHOW BINLOG EVENTS IN \(SQLText.literal(logName)) LIMIT 3"
    }

    /// The oldest binary log's name from the rows of `SHOW BINARY LOGS`.
    public static func oldestLog(_ rows: [Row]) throws(ObservationParseError) -> String {
        guard let name = rows.first?["Log_name"], !name.isEmpty else {
            throw ObservationParseError(field: "Log_name of SHOW BINARY LOGS", text: nil, reason: "the server listed no binary log")
        }
        return name
    }

    /// Parses gtid-P from the rows of `SHOW BINLOG EVENTS IN 'oldest' LIMIT 3`.
    public static func purged(fromEvents rows: [Row], logName: String) throws(ObservationParseError) -> GTIDValue {
        guard let event = rows.first(where: { $0["Event_type"] == "Gtid_list" }) else {
            throw ObservationParseError(field: "the Gtid_list event of \(logName)", text: nil,
                                        reason: "none of the first \(rows.count) events is a Gtid_list event")
        }
        let info = event["Info"] ?? ""
        return try parseInfo(info, logName: logName)
    }

    /// Parses a `Gtid_list` event's Info text, `[0-1-100,1-2-5]`.
    public static func parseInfo(_ info: String, logName: String = "the binary log") throws(ObservationParseError) -> GTIDValue {
        let trimmed = info.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]") else {
            throw ObservationParseError(field: "the Gtid_list event of \(logName)", text: info,
                                        reason: "it is not a bracketed GTID list")
        }
        let inner = String(trimmed.dropFirst().dropLast())
        do {
            return try GTIDValue(inner, flavor: .mariadb)
        } catch {
            throw ObservationParseError(field: "the Gtid_list event of \(logName)", text: info, reason: error.description)
        }
    }
}
