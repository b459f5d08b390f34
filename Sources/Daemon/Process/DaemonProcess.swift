import Foundation

/// `dmswitchd --config FILE [--foreground]`: runs the daemon until SIGTERM.
public enum DaemonProcess {
    /// Returns the exit code: 0 after a clean stop, 1 when it could not start.
    public static func run(configurationPath: String, foreground: Bool) -> Int32 {
        do {
            let daemon = try RunningDaemon(configurationPath: configurationPath, foreground: foreground)
            try daemon.serve()
            return 0
        } catch {
            FileHandle.standardError.write(Data("dmswitchd: \(error.description)\n".utf8))
            return 1
        }
    }
}
