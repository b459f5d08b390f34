import Foundation
import Glibc

extension DeploymentLab {
    /// Kills (SIGKILL) every dmsim process still running in the lab's DM
    /// directory and returns their pids.
    ///
    /// dmswitchd runs dmctl (here dmsim) in its own process group, so a daemon
    /// killed while a command hangs (`dmsim sim-fault --kind hang`) leaves that
    /// command behind, as a crashed daemon would leave a hung dmctl. The lab
    /// started those processes and ends them: the crash tests call this before
    /// restarting the daemon, and `shutdown()` calls it so nothing outlives the lab.
    @discardableResult
    public func endStrayDMCommands() -> [Int32] {
        let directory = directory + "/dm"
        let executable = binaries.dmsim
        var ended: [Int32] = []
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), pid != getpid() else { continue }
            let process = "/proc/\(entry)"
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: process + "/cwd")) == directory,
                  (try? FileManager.default.destinationOfSymbolicLink(atPath: process + "/exe")) == executable
            else { continue }
            if Glibc.kill(pid, SIGKILL) == 0 { ended.append(pid) }
        }
        return ended
    }
}
