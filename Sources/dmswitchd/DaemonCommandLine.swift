import DMSwitchConfig
import Daemon
import Foundation

/// What dmswitchd was asked to do.
///
/// Each mode is a case, so adding the daemon mode (`--config FILE`) is one case, one parse
/// rule and one arm in `run`.
enum DaemonInvocation: Equatable {
    /// `--config FILE [--foreground]`: run the daemon.
    case run(path: String, foreground: Bool)
    /// `--check-config FILE [--strict]`: check a configuration file and exit.
    case checkConfig(path: String, strict: Bool)
    /// `--help`.
    case help
}

/// A command line dmswitchd does not understand; `message` is the sentence after `Error: `.
struct DaemonUsageError: Error, Equatable, CustomStringConvertible {
    var message: String

    var description: String { message }
}

/// dmswitchd's command line: parsing, help, and the exit-code map of the house style
/// (0 ok, 1 failed, 64 usage).
enum DaemonCommandLine {
    static let usage = """
        Usage: dmswitchd --config FILE [--foreground]
               dmswitchd --check-config FILE [--strict]
               dmswitchd --help
        """

    static let help = """
        dmswitchd: keeps TiDB DM replicating when its upstream MySQL or MariaDB instance fails.

        \(usage)

        Options:
          --config FILE        Run the daemon with the configuration FILE (under systemd:
                               /etc/dmswitch/dmswitch.toml). Stops at a step boundary on SIGTERM;
                               SIGHUP re-reads the configuration.
          --foreground         With --config: also print every decision on stdout.
          --check-config FILE  Check the configuration FILE: print every problem and exit 1,
                               or print a one-line summary and exit 0.
          --strict             With --check-config: the files the configuration names
                               (password files, dmctl, hooks, task and source files) must
                               exist and be usable here; otherwise such problems are warnings.
          -h, --help           Show this help.

        Exit status: 0 ok (or a clean stop), 1 problems found (or could not start), 64 usage error.
        """

    static let exitOK: Int32 = 0
    static let exitFailed: Int32 = 1
    static let exitUsage: Int32 = 64

    /// Parses the arguments (without the program name).
    static func parse(_ arguments: [String]) throws(DaemonUsageError) -> DaemonInvocation {
        var checkConfig: String?
        var config: String?
        var strict = false
        var foreground = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            switch argument {
            case "-h", "--help":
                return .help
            case "--strict":
                strict = true
            case "--foreground":
                foreground = true
            case "--config":
                guard index < arguments.count, !arguments[index].isEmpty else {
                    throw DaemonUsageError(message: "option '--config' needs a FILE.")
                }
                guard config == nil else {
                    throw DaemonUsageError(message: "option '--config' is given twice.")
                }
                config = arguments[index]
                index += 1
            case "--check-config":
                guard index < arguments.count else {
                    throw DaemonUsageError(message: "option '--check-config' needs a FILE.")
                }
                guard checkConfig == nil else {
                    throw DaemonUsageError(message: "option '--check-config' is given twice.")
                }
                checkConfig = arguments[index]
                index += 1
            case let option where option.hasPrefix("--check-config="):
                guard checkConfig == nil else {
                    throw DaemonUsageError(message: "option '--check-config' is given twice.")
                }
                checkConfig = String(option.dropFirst("--check-config=".count))
            case let option where option.hasPrefix("-"):
                throw DaemonUsageError(message: "unknown option '\(option)'.")
            default:
                throw DaemonUsageError(message: "unexpected argument '\(argument)'.")
            }
        }
        if let config {
            guard checkConfig == nil else {
                throw DaemonUsageError(message: "options '--config' and '--check-config' exclude each other.")
            }
            guard !strict else {
                throw DaemonUsageError(message: "option '--strict' only goes with '--check-config FILE'.")
            }
            return .run(path: config, foreground: foreground)
        }
        if foreground {
            throw DaemonUsageError(message: "option '--foreground' only goes with '--config FILE'.")
        }
        guard let path = checkConfig else {
            if strict {
                throw DaemonUsageError(message: "option '--strict' only goes with '--check-config FILE'.")
            }
            throw DaemonUsageError(message: "no mode given; use '--config FILE' or '--check-config FILE'.")
        }
        guard !path.isEmpty else {
            throw DaemonUsageError(message: "option '--check-config' needs a FILE.")
        }
        return .checkConfig(path: path, strict: strict)
    }

    /// Runs the command line, printing to stdout and stderr; returns the exit code.
    static func run(_ arguments: [String]) -> Int32 {
        let invocation: DaemonInvocation
        do throws(DaemonUsageError) {
            invocation = try parse(arguments)
        } catch {
            write("Error: \(error.message)\n\(usage)\nSee 'dmswitchd --help'.\n", to: .standardError)
            return exitUsage
        }
        switch invocation {
        case .help:
            write(help + "\n", to: .standardOutput)
            return exitOK
        case .run(let path, let foreground):
            return DaemonProcess.run(configurationPath: path, foreground: foreground)
        case .checkConfig(let path, let strict):
            let report = ConfigChecker.check(path: path, strict: strict)
            write(report.standardOutput, to: .standardOutput)
            write(report.standardError, to: .standardError)
            return report.exitCode
        }
    }

    private static func write(_ text: String, to handle: FileHandle) {
        guard !text.isEmpty else { return }
        handle.write(Data(text.utf8))
    }
}
