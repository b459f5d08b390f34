/// One dmctl command the backend can run, independent of the DM version's syntax.
public enum DMCtlCommand: Hashable, Sendable {
    case queryStatus(task: String?, source: String?)
    case pauseTask(task: String, source: String?)
    case resumeTask(task: String, source: String?)
    case stopTask(task: String, source: String?)
    /// Batch form: every task on the source (v2+ only).
    case pauseTasks(source: String)
    case resumeTasks(source: String)
    case stopTasks(source: String)
    /// `start-task` from a saved task file; never with `--remove-meta`.
    case startTask(file: String, source: String?)
    case createSource(file: String)
    case stopSource(source: String)
    case showSources(sources: [String])
    case listMembers
    case pauseRelay(source: String)
    case resumeRelay(source: String)
    /// DM v1.0 only.
    case switchRelayMaster(source: String)

    /// The dmctl sub-command word.
    public var name: String {
        switch self {
        case .queryStatus: "query-status"
        case .pauseTask, .pauseTasks: "pause-task"
        case .resumeTask, .resumeTasks: "resume-task"
        case .stopTask, .stopTasks: "stop-task"
        case .startTask: "start-task"
        case .createSource, .stopSource, .showSources: "operate-source"
        case .listMembers: "list-member"
        case .pauseRelay: "pause-relay"
        case .resumeRelay: "resume-relay"
        case .switchRelayMaster: "switch-relay-master"
        }
    }

    /// What the command does, as the phrase after "Could not" in a `DMError`.
    public var action: String {
        func on(_ source: String?) -> String { source.map { " on source \"\($0)\"" } ?? "" }
        switch self {
        case .queryStatus(nil, nil): return "list the DM tasks"
        case .queryStatus(let task?, let source): return "query the status of DM task \"\(task)\"" + on(source)
        case .queryStatus(nil, let source?): return "query the status of DM source \"\(source)\""
        case .pauseTask(let task, let source): return "pause DM task \"\(task)\"" + on(source)
        case .resumeTask(let task, let source): return "resume DM task \"\(task)\"" + on(source)
        case .stopTask(let task, let source): return "stop DM task \"\(task)\"" + on(source)
        case .pauseTasks(let source): return "pause the DM tasks of source \"\(source)\""
        case .resumeTasks(let source): return "resume the DM tasks of source \"\(source)\""
        case .stopTasks(let source): return "stop the DM tasks of source \"\(source)\""
        case .startTask(let file, let source): return "start the DM task in \"\(file)\"" + on(source)
        case .createSource(let file): return "create the DM source in \"\(file)\""
        case .stopSource(let source): return "stop DM source \"\(source)\""
        case .showSources: return "show the DM sources"
        case .listMembers: return "list the DM cluster members"
        case .pauseRelay(let source): return "pause the relay of DM source \"\(source)\""
        case .resumeRelay(let source): return "resume the relay of DM source \"\(source)\""
        case .switchRelayMaster(let source): return "switch the relay of DM source \"\(source)\" to the new upstream"
        }
    }
}

/// Builds dmctl's argument vector for a command, per DM version (dm-interface §2.1, §6.1).
///
/// v2+: `--master-addr A,B --rpc-timeout 30s [--ssl-ca F [--ssl-cert F] [--ssl-key F]]
/// <command> [-s SOURCE] [ARG]`. v1.0: `-master-addr A <command> [-w WORKER] [ARG]`, with the
/// worker address looked up from the source-id. Global flags always come first and the
/// command word is always given, so dmctl never enters its interactive mode. No secret is
/// ever on the command line: passwords stay in the source and task files dmctl reads.
public struct DMCtlArguments: Sendable {
    public let configuration: DMCtlConfiguration

    public init(configuration: DMCtlConfiguration) {
        self.configuration = configuration
    }

    private var version: DMVersion { configuration.version }

    /// The global flags that precede every command.
    public var globalArguments: [String] {
        if version.isV1 {
            return ["-master-addr", configuration.masterAddresses.first ?? ""]
        }
        var arguments = [
            "--master-addr", configuration.masterAddresses.joined(separator: ","),
            "--rpc-timeout", goDuration(configuration.rpcTimeout),
        ]
        if let tls = configuration.tls {
            arguments += ["--ssl-ca", tls.certificateAuthority]
            if let certificate = tls.certificate { arguments += ["--ssl-cert", certificate] }
            if let key = tls.key { arguments += ["--ssl-key", key] }
        }
        return arguments
    }

    /// The full argument vector (after argv[0]) for `command`.
    public func arguments(for command: DMCtlCommand) throws(DMError) -> [String] {
        globalArguments + (try commandArguments(command))
    }

    /// The part after the global flags.
    public func commandArguments(_ command: DMCtlCommand) throws(DMError) -> [String] {
        let word = command.name
        switch command {
        case .queryStatus(let task, let source):
            return [word] + (try scope(source, command)) + (task.map { [$0] } ?? [])
        case .pauseTask(let task, let source), .resumeTask(let task, let source), .stopTask(let task, let source):
            return [word] + (try scope(source, command)) + [task]
        case .pauseTasks(let source), .resumeTasks(let source), .stopTasks(let source):
            try requireV2(command, "the batch form of \(word) (all tasks of a source) exists only in DM v2.0 and later")
            return [word, "-s", source]
        case .startTask(let file, let source):
            return [word] + (try scope(source, command)) + [file]
        case .createSource(let file):
            try requireV2(command, "operate-source exists only in DM v2.0 and later")
            return [word, "create", file]
        case .stopSource(let source):
            try requireV2(command, "operate-source exists only in DM v2.0 and later")
            return [word, "stop", source]
        case .showSources(let sources):
            try requireV2(command, "operate-source exists only in DM v2.0 and later")
            return [word, "show"] + sources.flatMap { ["-s", $0] }
        case .listMembers:
            try requireV2(command, "list-member exists only in DM v2.0 and later")
            return [word]
        case .pauseRelay(let source), .resumeRelay(let source):
            return [word] + (try scope(source, command))
        case .switchRelayMaster(let source):
            guard version.isV1 else {
                throw DMError(
                    action: command.action,
                    failure: .unsupported("switch-relay-master exists only in DM v1.0; DM \(version) follows a new upstream by itself"))
            }
            return [word] + (try scope(source, command))
        }
    }

    /// `-s SOURCE` (v2+) or `-w WORKER` (v1.0, the worker of that source); nothing for `nil`.
    private func scope(_ source: String?, _ command: DMCtlCommand) throws(DMError) -> [String] {
        guard let source else { return [] }
        guard version.isV1 else { return ["-s", source] }
        guard let worker = configuration.workerAddresses[source], !worker.isEmpty else {
            throw DMError(
                action: command.action,
                failure: .invalidConfiguration(
                    "no DM-worker address is configured for source \"\(source)\", and DM v1.0's dmctl addresses workers, not sources"))
        }
        return ["-w", worker]
    }

    private func requireV2(_ command: DMCtlCommand, _ reason: String) throws(DMError) {
        if version.isV1 { throw DMError(action: command.action, failure: .unsupported(reason)) }
    }

    /// A duration as Go's `time.ParseDuration` reads it: "30s", or "1500ms" when not whole seconds.
    func goDuration(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }
}
