import Foundation
import Glibc
import Posix
import Synchronization

/// Makes sure sandbox servers do not outlive the test process that started them.
///
/// Three layers: `Sandbox.shutdown()` (and deinit) in the normal case; an
/// `atexit` handler that SIGKILLs every server still registered and removes
/// temporary directories when the process exits without shutting a sandbox
/// down (a failed `#require`, an early exit); and `reapLeftovers()`, run when a
/// sandbox starts, which cleans up after test processes that died without
/// running atexit (SIGKILL, a crash): their temporary sandboxes name the owner
/// pid, and a server is killed only if its command line names that sandbox.
enum SandboxReaper {
    private struct Registry {
        var pids: [String: Set<Int32>] = [:]
        var temporaryDirectories: Set<String> = []
        var installed = false
    }

    private static let registry = Mutex(Registry())

    /// Remembers a server (or proxy) pid of the sandbox in `directory`.
    static func register(pid: Int32, sandbox directory: String) {
        installIfNeeded()
        registry.withLock { registry in
            registry.pids[directory, default: []].insert(pid)
            return
        }
    }

    /// Forgets a pid that was killed and reaped.
    static func forget(pid: Int32, sandbox directory: String) {
        registry.withLock { registry in
            registry.pids[directory]?.remove(pid)
            return
        }
    }

    /// Forgets a whole sandbox (shut down, or handed over to run in the background).
    static func forget(sandbox directory: String) {
        registry.withLock { registry in
            registry.pids[directory] = nil
            registry.temporaryDirectories.remove(directory)
        }
    }

    /// Removes `directory` at exit unless it was removed or forgotten before.
    static func registerTemporaryDirectory(_ directory: String) {
        installIfNeeded()
        registry.withLock { _ = $0.temporaryDirectories.insert(directory) }
    }

    private static func installIfNeeded() {
        let install = registry.withLock { registry -> Bool in
            defer { registry.installed = true }
            return !registry.installed
        }
        if install {
            atexit { SandboxReaper.cleanUpAtExit() }
        }
    }

    private static func cleanUpAtExit() {
        let (pids, directories) = registry.withLock { registry in
            (registry.pids.values.flatMap { $0 }, registry.temporaryDirectories)
        }
        for pid in pids { kill(pid, SIGKILL) }
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Cleans up temporary sandboxes and templates whose owner process is gone.
    static func reapLeftovers() {
        let root = SandboxDirectory.temporaryRoot
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for entry in entries {
            guard let owner = ownerPID(of: entry), owner != getpid(), !ProcessSignal.exists(owner) else { continue }
            let directory = root + "/" + entry
            if let manifest = try? SandboxManifest.load(directory: directory), manifest.temporary {
                let records = manifest.instances + (manifest.downstream.map { [$0] } ?? [])
                let pids = records.compactMap(\.pid) + (manifest.vip?.pid.map { [$0] } ?? [])
                for pid in pids where commandLine(of: pid).contains(directory) {
                    kill(pid, SIGKILL)
                }
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The owner pid in `dmswitch-sandbox-<pid>-XXXXXX` or `dmswitch-template-<pid>-XXXXXX`.
    static func ownerPID(of name: String) -> Int32? {
        for prefix in ["dmswitch-sandbox-", "dmswitch-template-"] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-") else { return nil }
            return Int32(rest[..<dash])
        }
        return nil
    }

    private static func commandLine(of pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }
}
