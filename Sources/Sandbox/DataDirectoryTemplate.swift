import Foundation
import Glibc
import Posix
import Synchronization

/// An initialized, empty MariaDB data directory, made once per process and
/// copied for each server: `mariadb-install-db` takes about a second, a copy
/// a fraction of that, so a three-server group starts in seconds.
enum DataDirectoryTemplate {
    private static let template = Mutex<String?>(nil)

    /// Copies the template to `destination` (which must not exist), creating the template first if needed.
    static func copy(to destination: String, binaries: ServerBinaries) throws(SandboxError) {
        let source = try prepared(binaries: binaries)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch {
            throw SandboxError("copy the template data directory to \(destination)", "\(error.localizedDescription)")
        }
    }

    /// The template's path. Blocking (runs mariadb-install-db the first time).
    static func prepared(binaries: ServerBinaries) throws(SandboxError) -> String {
        try template.withLock { cached throws(SandboxError) -> String in
            if let cached, FileManager.default.fileExists(atPath: cached + "/mysql") { return cached }
            let parent = try SandboxDirectory.makeTemporary(prefix: "dmswitch-template-\(getpid())-")
            SandboxReaper.registerTemporaryDirectory(parent)
            let dataDirectory = parent + "/data"
            // Its own tmpdir: bootstrap temporary tables in a shared /tmp can be
            // removed under it by other processes, and the install then fails.
            try SandboxDirectory.create(parent + "/tmp")
            var arguments = [
                "--no-defaults",
                "--datadir=\(dataDirectory)",
                "--tmpdir=\(parent)/tmp",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ] + ServerConfig.innoDBOptions.map { "--" + $0.replacingOccurrences(of: "_", with: "-") }
            if geteuid() == 0 { arguments.append("--user=root") }
            let outcome: Subprocess.Outcome
            do throws(SubprocessError) {
                outcome = try Subprocess.run(Subprocess.Options(
                    executable: binaries.installDB, arguments: arguments, workingDirectory: parent, deadline: .seconds(120)))
            } catch {
                throw SandboxError("initialize a MariaDB data directory", error)
            }
            guard outcome.status.isSuccess, FileManager.default.fileExists(atPath: dataDirectory + "/mysql") else {
                let lines = (outcome.stdout + "\n" + outcome.stderr).split(separator: "\n")
                let errors = lines.filter { $0.contains("ERROR") || $0.contains("failed") }
                let output = (errors.isEmpty ? Array(lines.suffix(8)) : errors).joined(separator: " | ")
                throw SandboxError("initialize a MariaDB data directory with \(binaries.installDB)",
                                   "it ended with \(outcome.status): \(output)")
            }
            cached = dataDirectory
            return dataDirectory
        }
    }
}
