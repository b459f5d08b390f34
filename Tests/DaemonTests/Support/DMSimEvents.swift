import Foundation
import Sandbox

/// dmsim's event log (`dmsim sim-events`): every dmctl command it answered,
/// in order, and the faults it injected.
struct DMSimEvents {
    struct Event: Decodable {
        var kind: String
        var command: String?
        var arguments: [String]?
        var result: Bool?
    }

    let events: [Event]

    init(_ lab: DeploymentLab) throws {
        let outcome = try lab.dmsim(["sim-events"])
        guard outcome.status.isSuccess else { throw LabTestError("dmsim sim-events failed: \(outcome.stderr)") }
        let decoder = JSONDecoder()
        events = try outcome.stdout.split(separator: "\n").map { line in try decoder.decode(Event.self, from: Data(line.utf8)) }
    }

    /// The commands that change DM (everything but reads), from event `start` on, as
    /// `command` or, for operate-source, `operate-source stop|create`.
    func changes(from start: Int = 0) -> [String] {
        events.dropFirst(start).filter { $0.kind == "command" }.compactMap { event -> String? in
            guard let command = event.command, !Self.reads.contains(command) else { return nil }
            if command == "operate-source", let action = event.arguments?.first(where: { $0 == "stop" || $0 == "create" }) {
                return "\(command) \(action)"
            }
            return command
        }
    }

    /// Commands that only read DM's state.
    static let reads: Set<String> = ["query-status", "list-member", "config", "get-config", "check-task"]
}

/// A test's own failure with a sentence.
struct LabTestError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
