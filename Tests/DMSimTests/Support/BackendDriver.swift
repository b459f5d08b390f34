import DM
import Foundation
import GTID
import Posix
import Synchronization

/// Module DM's dmctl backend with dmsim as its dmctl: what the daemon will run, pointed at
/// the lab. DMSIM_STATE reaches dmsim through the backend's configured environment, the way
/// a real dmctl gets `DM_MASTER_ADDR`.
///
/// Every call runs on a thread of its own (it waits for a child process), and every dmctl
/// run lands in `commands`, so a test can assert the exact sequence a runbook drove.
final class BackendDriver: Sendable {
    let backend: DMCtlBackend
    private let transcript = CommandLog()

    /// The DM-worker address of the v1.0 source (`-w`).
    static let v1Worker = "127.0.0.1:8262"

    init(lab: Lab, version: String) throws {
        guard let dmVersion = DMVersion(version) else { throw LabError("\(version) is not a DM version") }
        let transcript = transcript
        backend = try DMCtlBackend(
            configuration: DMCtlConfiguration(
                dmctlPath: lab.dmsim.executable, version: dmVersion, masterAddresses: [lab.dmsim.master],
                commandTimeout: .seconds(60), workingDirectory: lab.dmsim.directory + "/dmctl",
                workerAddresses: dmVersion.isV1 ? [Lab.sourceID: Self.v1Worker] : [:],
                sourceFlavors: [Lab.sourceID: .mariadb], environment: lab.dmsim.environment),
            transcript: { entry in transcript.commands.withLock { $0.append(entry.command) } })
    }

    /// Runs one backend call on a dedicated thread; what it throws is a `DMError`.
    func call<T: Sendable>(_ body: @escaping @Sendable (DMCtlBackend) throws -> T) async throws -> T {
        let backend = backend
        return try await DedicatedThread.run(name: "dmctl") { () throws -> T in try body(backend) }
    }

    /// The dmctl commands run so far, with repeats in a row (status polling) collapsed.
    var commands: [DMCtlCommand] {
        transcript.commands.withLock { commands in
            commands.reduce(into: []) { result, command in
                if result.last != command { result.append(command) }
            }
        }
    }

    /// Forgets the commands run so far (the setup), so the runbook's own can be asserted.
    func clearTranscript() {
        transcript.commands.withLock { $0.removeAll() }
    }
}

/// The commands the backend reported to its transcript hook, from dmctl's threads.
private final class CommandLog: Sendable {
    let commands = Mutex<[DMCtlCommand]>([])
}
