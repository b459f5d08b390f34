import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The state directory: config, state, event log, violations, faults, and the lock that
/// serializes concurrent invocations (several dmctl callers and `sim-watch` at once).
struct StateStore {
    let directory: String

    var configPath: String { directory + "/" + SimConfig.fileName }
    var statePath: String { directory + "/" + SimState.fileName }
    var eventsPath: String { directory + "/events.jsonl" }
    var violationsPath: String { directory + "/violations.jsonl" }
    var faultsPath: String { directory + "/faults.json" }
    var lockPath: String { directory + "/lock" }

    /// The state directory named by `DMSIM_STATE`.
    static func fromEnvironment(_ environment: [String: String]) throws(SimSetupError) -> StateStore {
        guard let directory = environment["DMSIM_STATE"], !directory.isEmpty else {
            throw SimSetupError(description: "DMSIM_STATE is not set; it must name dmsim's state directory (see `dmsim sim-init`).")
        }
        return StateStore(directory: directory)
    }

    func loadConfig() throws(SimSetupError) -> SimConfig {
        try readJSON(SimConfig.self, path: configPath, what: "dmsim's config")
    }

    func saveConfig(_ config: SimConfig) throws(SimSetupError) {
        try writeJSON(config, path: configPath)
    }

    func loadState() throws(SimSetupError) -> SimState {
        guard FileManager.default.fileExists(atPath: statePath) else { return SimState() }
        return try readJSON(SimState.self, path: statePath, what: "dmsim's state")
    }

    func saveState(_ state: SimState) throws(SimSetupError) {
        try writeJSON(state, path: statePath)
    }

    /// Runs `body` holding the exclusive lock on the state directory.
    func locked<T>(_ body: () throws -> T) throws -> T {
        let descriptor = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SimSetupError(description: "The lock file \"\(lockPath)\" cannot be opened: \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw SimSetupError(description: "The lock file \"\(lockPath)\" cannot be locked: \(String(cString: strerror(errno))).")
            }
        }
        defer { _ = flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Appends one line to a JSON-lines log; O_APPEND keeps concurrent writers whole.
    func appendLine(_ line: String, to path: String) {
        let descriptor = open(path, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 { if errno == EINTR { continue }; return }
            offset += written
        }
    }

    func readLines(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    private func readJSON<T: Decodable>(_ type: T.Type, path: String, what: String) throws(SimSetupError) -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SimSetupError(description: "\(what.prefix(1).uppercased() + what.dropFirst()) \"\(path)\" does not exist; run `dmsim sim-init` first.")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw SimSetupError(description: "\(what.prefix(1).uppercased() + what.dropFirst()) \"\(path)\" is not valid: \(error).")
        }
    }

    private func writeJSON<T: Encodable>(_ value: T, path: String) throws(SimSetupError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            let data = try encoder.encode(value)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SimSetupError(description: "The file \"\(path)\" cannot be written: \(error).")
        }
    }
}
