import Glibc

extension Subprocess {
    /// Where one standard stream of the child comes from or goes to.
    enum StreamAction {
        case null
        case descriptor(Int32)
        case file(path: String, append: Bool)
    }

    /// Calls `posix_spawn(p)` with the attributes every dmswitch child gets.
    static func launch(
        _ options: Options,
        stdout: StreamAction,
        stderr: StreamAction
    ) throws(SubprocessError) -> pid_t {
        func failure(_ code: Int32, _ operation: String) -> SubprocessError {
            SubprocessError(commandLine: options.commandLine, cause: Errno(code, operation))
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        var noSignal = sigset_t()
        sigemptyset(&noSignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP)
        )

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (descriptor, action) in [(Int32(1), stdout), (Int32(2), stderr)] {
            switch action {
            case .null:
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
            case .descriptor(let source):
                posix_spawn_file_actions_adddup2(&actions, source, descriptor)
            case .file(let path, let append):
                let flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
                posix_spawn_file_actions_addopen(&actions, descriptor, path, flags, 0o644)
            }
        }
        // Nothing of the daemon's (control socket, journal, MySQL connections)
        // leaks into the child, even descriptors opened without O_CLOEXEC.
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        if let directory = options.workingDirectory {
            posix_spawn_file_actions_addchdir_np(&actions, directory)
        }

        let argv = [options.executable] + options.arguments
        let environment = childEnvironment(options.environment)
        var pid: pid_t = 0
        let result = withCStringArray(argv) { argvPointer in
            withCStringArray(environment) { envPointer in
                if options.executable.contains("/") {
                    posix_spawn(&pid, options.executable, &actions, &attributes, argvPointer, envPointer)
                } else {
                    posix_spawnp(&pid, options.executable, &actions, &attributes, argvPointer, envPointer)
                }
            }
        }
        // posix_spawn returns the errno value itself rather than setting errno.
        if result != 0 { throw failure(result, "spawn \(options.executable)") }
        return pid
    }

    /// `KEY=value` strings for the child: the given or inherited variables,
    /// without the daemon's systemd variables.
    static func childEnvironment(_ explicit: [String: String]?) -> [String] {
        (explicit ?? currentEnvironment())
            .filter { !systemdVariables.contains($0.key) }
            .sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }
    }

    /// The daemon's own environment, for callers that add variables to it.
    public static func currentEnvironment() -> [String: String] {
        var variables: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return variables
    }
}

/// Lends a NULL-terminated `char *[]` built from `strings` to `body`.
func withCStringArray<R>(
    _ strings: [String],
    _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
