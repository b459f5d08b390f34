import Foundation

/// One line of the append-only event log (`events.jsonl`).
///
/// Every dmctl command dmsim answers is recorded, with what it did to the servers, so tests
/// and the demo can read back the exact sequence a daemon drove (`dmsim sim-events`).
struct SimEvent: Codable, Equatable {
    var time: String
    /// `command`, `identity` (a subtask's upstream identity recorded), `relay-switch`,
    /// `violation`, `fault`.
    var kind: String
    var command: String?
    var arguments: [String]?
    var exitCode: Int32?
    var result: Bool?
    var task: String?
    var source: String?
    var detail: String?
}

/// A data hazard: a running subtask read from another server than the one it was started
/// or resumed against, i.e. the upstream changed under DM without a pause (DESIGN: "DM must
/// never read from two servers at once").
struct Violation: Codable, Equatable {
    var time: String
    var task: String
    var source: String
    var connection: String
    var address: String
    var expectedServerID: UInt32
    var observedServerID: UInt32
    /// `dmsim <command>` or `sim-watch`.
    var detectedBy: String

    var sentence: String {
        "Subtask \(task) on source \(source) read from server_id \(observedServerID) at \(address), "
            + "but it was started or resumed against server_id \(expectedServerID) (detected by \(detectedBy))."
    }
}

enum Clock {
    /// RFC 3339 UTC with milliseconds, for log lines that sort as text.
    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

extension StateStore {
    func append(_ event: SimEvent) {
        appendLine(JSONLine.encode(event), to: eventsPath)
    }

    func append(_ violation: Violation) {
        appendLine(JSONLine.encode(violation), to: violationsPath)
        append(SimEvent(time: violation.time, kind: "violation", task: violation.task,
                        source: violation.source, detail: violation.sentence))
    }

    func violations() -> [Violation] {
        readLines(violationsPath).compactMap { try? JSONDecoder().decode(Violation.self, from: Data($0.utf8)) }
    }
}

enum JSONLine {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
