import Foundation

/// A failure injected for tests: the next `remaining` calls of `command` misbehave.
struct Fault: Codable, Equatable {
    enum Kind: String, Codable, CaseIterable {
        /// dmctl cannot reach the master: exit 1, `Error: … 48001 …` on stderr.
        case unreachable
        /// The call never returns (sleeps until killed), like a master that stopped answering.
        case hang
        /// The RPC completes with `"result": false` and `message` as `msg`.
        case resultFalse = "result-false"
    }

    /// The dmctl command it applies to, or `*` for every command.
    var command: String
    var kind: Kind
    var message: String
    var remaining: Int
}

extension StateStore {
    func loadFaults() -> [Fault] {
        guard let data = FileManager.default.contents(atPath: faultsPath) else { return [] }
        return (try? JSONDecoder().decode([Fault].self, from: data)) ?? []
    }

    func saveFaults(_ faults: [Fault]) throws(SimSetupError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(faults).write(to: URL(fileURLWithPath: faultsPath), options: .atomic)
        } catch {
            throw SimSetupError(description: "The fault file \"\(faultsPath)\" cannot be written: \(error).")
        }
    }

    /// Takes one use of the first fault armed for `command`; call with the lock held.
    func consumeFault(for command: String) throws(SimSetupError) -> Fault? {
        var faults = loadFaults()
        guard let index = faults.firstIndex(where: { ($0.command == command || $0.command == "*") && $0.remaining > 0 }) else {
            return nil
        }
        let fault = faults[index]
        faults[index].remaining -= 1
        if faults[index].remaining <= 0 { faults.remove(at: index) }
        try saveFaults(faults)
        return fault
    }
}
