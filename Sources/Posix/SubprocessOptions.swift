/// Starting child processes with `posix_spawn`.
///
/// `Foundation.Process` gives a child spawned from any Dispatch or Task thread
/// that thread's signal mask, which blocks almost every signal, so the child
/// cannot be stopped with SIGTERM and hooks inherit ignored dispositions.
/// Everything dmswitch starts (dmctl, the VIP hook, test servers) goes through
/// here instead: own process group, empty signal mask, default dispositions,
/// stdin from /dev/null, and no systemd notification variables.
public enum Subprocess {
    /// What to start and under which limits.
    public struct Options: Sendable {
        /// A path, or a bare name looked up in `PATH`.
        public var executable: String
        /// The arguments after argv[0].
        public var arguments: [String]
        /// The whole environment of the child; nil inherits the daemon's.
        /// Either way the systemd variables below are removed.
        public var environment: [String: String]?
        /// The child's working directory; nil keeps the daemon's.
        public var workingDirectory: String?
        /// For `run`: after this long the child's whole process group is killed.
        public var deadline: Duration?
        /// For `run`: bytes kept of each of stdout and stderr; the rest is read and dropped.
        public var outputLimit: Int

        public init(
            executable: String,
            arguments: [String] = [],
            environment: [String: String]? = nil,
            workingDirectory: String? = nil,
            deadline: Duration? = nil,
            outputLimit: Int = 1 << 20
        ) {
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
            self.workingDirectory = workingDirectory
            self.deadline = deadline
            self.outputLimit = outputLimit
        }

        /// The command line as an operator would type it, for logs.
        public var commandLine: String {
            ([executable] + arguments).map(Self.shellQuoted).joined(separator: " ")
        }

        private static func shellQuoted(_ word: String) -> String {
            let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,@%+".contains($0) }
            if plain && !word.isEmpty { return word }
            return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
        }
    }

    /// Where a spawned child's stdout or stderr goes.
    public enum OutputTarget: Sendable {
        case null
        /// Appends to (or truncates) a file, created with mode 0644.
        case file(path: String, append: Bool)
    }

    /// How a finished `run` went.
    public struct Outcome: Sendable {
        public var status: ExitStatus
        public var stdout: String
        public var stderr: String
        /// Some output was dropped because it exceeded `outputLimit`.
        public var truncated: Bool
        /// The deadline passed and the process group was killed.
        public var timedOut: Bool
        /// Wall time from spawn to reaping.
        public var duration: Duration
    }

    /// Variables that belong to the daemon's own relationship with systemd;
    /// a child that saw them could send READY=1 or ping the watchdog for us.
    static let systemdVariables: Set<String> = [
        "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
        "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES",
    ]
}

/// Why a child could not be started or watched.
public struct SubprocessError: Error, Sendable, CustomStringConvertible {
    public let commandLine: String
    public let cause: Errno

    public var description: String {
        "Could not run \(commandLine): \(cause.message) (errno \(cause.code), while trying to \(cause.operation))."
    }
}
