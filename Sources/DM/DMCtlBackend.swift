import Foundation
import Posix

/// `DMControl` through the dmctl command-line client, for DM v1.0 and v2+.
///
/// Each call spawns one dmctl (own process group, clean signal mask, stdin from /dev/null,
/// no systemd variables) in the configured working directory, kills the whole group at the
/// deadline, keeps bounded output, reports the run to the transcript hook, and then reads
/// the exit status and the reply: exit 0 alone never means success (dm-interface §2.3).
public struct DMCtlBackend: DMControl {
    public let configuration: DMCtlConfiguration
    /// The argument builder for the configured version.
    public let commandLine: DMCtlArguments
    private let transcript: DMCtlTranscriptHook?

    /// `dmctl.log` beyond this size is moved to `dmctl.log.1` before the next run: dmctl
    /// appends to it on every call and a daemon polls often.
    public static let logRotationSize = 16 << 20

    /// Checks the configuration and creates the working directory.
    public init(configuration: DMCtlConfiguration, transcript: DMCtlTranscriptHook? = nil) throws(DMError) {
        try DMCtlBackend.validate(configuration)
        self.configuration = configuration
        self.commandLine = DMCtlArguments(configuration: configuration)
        self.transcript = transcript
        try prepareWorkingDirectory(action: "prepare dmctl's working directory \"\(configuration.workingDirectory)\"")
    }

    private static func validate(_ configuration: DMCtlConfiguration) throws(DMError) {
        func invalid(_ reason: String) -> DMError {
            DMError(action: "set up dmctl for DM \(configuration.version)", failure: .invalidConfiguration(reason))
        }
        let masters = configuration.masterAddresses
        if masters.isEmpty { throw invalid("no DM-master address is configured") }
        if let bad = masters.first(where: { $0.isEmpty || $0.contains(",") || $0.contains(where: \.isWhitespace) }) {
            throw invalid("the DM-master address \"\(bad)\" is not a single host:port")
        }
        if configuration.version.isV1 {
            if masters.count > 1 { throw invalid("DM v1.0 has one DM-master, but \(masters.count) addresses are configured") }
            if configuration.tls != nil { throw invalid("TLS to DM-master is supported for DM v2.0 and later only") }
        }
        if configuration.commandTimeout < .seconds(1) { throw invalid("the dmctl command timeout must be at least 1 s") }
        if configuration.outputLimit < 4096 { throw invalid("the dmctl output limit must be at least 4096 bytes") }
        if configuration.dmctlPath.isEmpty { throw invalid("no dmctl path is configured") }
        if configuration.workingDirectory.isEmpty { throw invalid("no working directory for dmctl is configured") }
    }

    // MARK: Running dmctl

    /// What one successful (exit 0) run printed.
    public struct Output: Sendable {
        public var stdout: String
        public var stderr: String
    }

    /// Runs one command and returns its output when dmctl exited 0; the reply is not read.
    public func run(_ command: DMCtlCommand) throws(DMError) -> Output {
        let action = command.action
        let arguments = try commandLine.arguments(for: command)
        try prepareWorkingDirectory(action: action)
        let options = Subprocess.Options(
            executable: configuration.dmctlPath, arguments: arguments, environment: configuration.environment,
            workingDirectory: configuration.workingDirectory, deadline: configuration.commandTimeout,
            outputLimit: configuration.outputLimit)
        let argv = [configuration.dmctlPath] + arguments
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run(options)
        } catch {
            transcript?(
                DMCtlTranscriptEntry(
                    command: command, argv: argv, status: nil, timedOut: false, duration: .zero, stdout: "", stderr: "",
                    truncated: false, startFailure: error.description))
            throw DMError(action: action, failure: .couldNotStart("\(error.cause.message) while trying to \(error.cause.operation)"))
        }
        transcript?(
            DMCtlTranscriptEntry(
                command: command, argv: argv, status: outcome.status, timedOut: outcome.timedOut, duration: outcome.duration,
                stdout: outcome.stdout, stderr: outcome.stderr, truncated: outcome.truncated))
        if let failure = DMCtlExit.failure(
            status: outcome.status, timedOut: outcome.timedOut, deadline: configuration.commandTimeout,
            stdout: outcome.stdout, stderr: outcome.stderr)
        {
            throw DMError(action: action, failure: failure)
        }
        if outcome.truncated && outcome.stdout.utf8.count >= configuration.outputLimit {
            throw DMError(
                action: action,
                failure: .unexpectedOutput(
                    DMOutputError(
                        expected: "\(command.name) reply",
                        problem: "it was cut off at the output limit of \(configuration.outputLimit) bytes",
                        output: outcome.stdout)))
        }
        return Output(stdout: outcome.stdout, stderr: outcome.stderr)
    }

    /// Creates the working directory if needed, checks it is writable, and rotates a large `dmctl.log`.
    private func prepareWorkingDirectory(action: String) throws(DMError) {
        let directory = configuration.workingDirectory
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw DMError(
                action: action,
                failure: .invalidConfiguration("dmctl's working directory \"\(directory)\" cannot be created (\(error.localizedDescription))"))
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw DMError(
                action: action,
                failure: .invalidConfiguration(
                    "dmctl's working directory \"\(directory)\" is not writable, and dmctl exits 2 when it cannot write dmctl.log there"))
        }
        let log = directory + "/dmctl.log"
        var info = stat()
        if stat(log, &info) == 0, Int(info.st_size) > Self.logRotationSize {
            // Best effort: a failed rename leaves a large log, which is not worth failing a runbook step for.
            _ = rename(log, log + ".1")
        }
    }

    /// Parses `output` with `parse`, turning a shape error into a `DMError` that also quotes
    /// dmctl's stderr when it said something.
    private func read<T>(
        _ command: DMCtlCommand, _ output: Output, _ parse: (String) throws(DMOutputError) -> T
    ) throws(DMError) -> T {
        do {
            return try parse(output.stdout)
        } catch {
            var problem = error
            let said = DMCtlExit.message(stderr: output.stderr, stdout: "")
            if !said.isEmpty { problem.problem += "; dmctl's stderr says \"\(said)\"" }
            throw DMError(action: command.action, failure: .unexpectedOutput(problem))
        }
    }

    // MARK: DMControl: status

    public func queryStatus(task: String) throws(DMError) -> DMStatusReport {
        try status(.queryStatus(task: task, source: nil))
    }

    public func queryStatus(source: String) throws(DMError) -> DMStatusReport {
        try status(.queryStatus(task: nil, source: source))
    }

    private func status(_ command: DMCtlCommand) throws(DMError) -> DMStatusReport {
        let flavors = configuration.sourceFlavors
        let report = try read(command, try run(command)) { (stdout) throws(DMOutputError) in
            try DMQueryStatusParser.parse(stdout, flavors: flavors)
        }
        guard report.result else {
            throw DMError(action: command.action, failure: .rejected(message: report.message, failures: []))
        }
        return report
    }

    public func listTasks() throws(DMError) -> DMTaskList {
        let command = DMCtlCommand.queryStatus(task: nil, source: nil)
        let list = try read(command, try run(command)) { (stdout) throws(DMOutputError) in try DMTaskListParser.parse(stdout) }
        guard list.result else {
            throw DMError(action: command.action, failure: .rejected(message: list.message, failures: []))
        }
        return list
    }

    public func listMembers() throws(DMError) -> DMMemberList {
        let command = DMCtlCommand.listMembers
        let list = try read(command, try run(command)) { (stdout) throws(DMOutputError) in try DMMemberListParser.parse(stdout) }
        guard list.result else {
            throw DMError(action: command.action, failure: .rejected(message: list.message, failures: []))
        }
        return list
    }

    public func showSources(_ sources: [String]) throws(DMError) -> DMOperationReply {
        let command = DMCtlCommand.showSources(sources: sources)
        let reply = try operationReply(command, operations: nil)
        // A source without a worker is information here, not a failed command.
        guard reply.result else {
            throw DMError(action: command.action, failure: .rejected(message: reply.message, failures: []))
        }
        return reply
    }

    // MARK: DMControl: tasks

    public func pauseTask(_ task: String, source: String?) throws(DMError) -> DMOperationReply {
        try operation(.pauseTask(task: task, source: source), operations: ["Pause"])
    }

    public func resumeTask(_ task: String, source: String?) throws(DMError) -> DMOperationReply {
        try operation(.resumeTask(task: task, source: source), operations: ["Resume"])
    }

    /// Accepts both `Stop` and `Delete`: which one DM echoes depends on its version
    /// (`DMVersion.stopTaskOperation`), and refusing a stop that DM carried out would only
    /// leave the runbook in doubt.
    public func stopTask(_ task: String, source: String?) throws(DMError) -> DMOperationReply {
        try operation(.stopTask(task: task, source: source), operations: ["Stop", "Delete"])
    }

    public func pauseTasks(onSource source: String) throws(DMError) -> DMBatchReply {
        try batch(.pauseTasks(source: source), operations: ["Pause"])
    }

    public func resumeTasks(onSource source: String) throws(DMError) -> DMBatchReply {
        try batch(.resumeTasks(source: source), operations: ["Resume"])
    }

    public func stopTasks(onSource source: String) throws(DMError) -> DMBatchReply {
        try batch(.stopTasks(source: source), operations: ["Stop", "Delete"])
    }

    public func startTask(file: String, source: String?) throws(DMError) -> DMOperationReply {
        let command = DMCtlCommand.startTask(file: file, source: source)
        let reply = try read(command, try run(command)) { (stdout) throws(DMOutputError) in
            try DMStartTaskParser.parse(stdout)
        }
        return try succeeded(command, reply)
    }

    // MARK: DMControl: sources and relay

    public func createSource(file: String) throws(DMError) -> DMOperationReply {
        try operation(.createSource(file: file), operations: nil)
    }

    public func stopSource(_ source: String) throws(DMError) -> DMOperationReply {
        try operation(.stopSource(source: source), operations: nil)
    }

    public func pauseRelay(source: String) throws(DMError) -> DMOperationReply {
        try operation(.pauseRelay(source: source), operations: ["PauseRelay"])
    }

    public func resumeRelay(source: String) throws(DMError) -> DMOperationReply {
        try operation(.resumeRelay(source: source), operations: ["ResumeRelay"])
    }

    public func switchRelayMaster(source: String) throws(DMError) -> DMOperationReply {
        try operation(.switchRelayMaster(source: source), operations: nil)
    }

    // MARK: Reading operation replies

    /// Runs a mutating command and requires success at the top level and in every member.
    private func operation(_ command: DMCtlCommand, operations: Set<String>?) throws(DMError) -> DMOperationReply {
        try succeeded(command, try operationReply(command, operations: operations))
    }

    /// Runs a command whose reply is an operation reply; checks the echoed `op` when one is expected.
    private func operationReply(_ command: DMCtlCommand, operations: Set<String>?) throws(DMError) -> DMOperationReply {
        let output = try run(command)
        let expected = "\(command.name) reply"
        let reply = try read(command, output) { (stdout) throws(DMOutputError) in
            try DMOperationParser.parse(stdout, expected: expected)
        }
        try checkOperation(reply.operation, operations, command, output)
        return reply
    }

    private func batch(_ command: DMCtlCommand, operations: Set<String>) throws(DMError) -> DMBatchReply {
        let output = try run(command)
        let expected = "\(command.name) reply"
        let reply = try read(command, output) { (stdout) throws(DMOutputError) in
            try DMOperationParser.parseBatch(stdout, expected: expected)
        }
        for task in reply.tasks {
            try checkOperation(task.reply.operation, operations, command, output)
        }
        guard reply.succeeded else {
            var failures: [DMMemberOutcome] = []
            for task in reply.tasks where !task.reply.succeeded {
                if !task.reply.result {
                    failures.append(DMMemberOutcome(result: false, message: "task \"\(task.task)\": \(task.reply.message ?? "result false")"))
                }
                for member in task.reply.failedMembers {
                    var named = member
                    named.message = "task \"\(task.task)\": \(member.message ?? "result false")"
                    failures.append(named)
                }
            }
            throw DMError(action: command.action, failure: .rejected(message: reply.message, failures: failures))
        }
        return reply
    }

    /// A reply echoing an op of a different command is not a reply to this command.
    private func checkOperation(
        _ operation: String?, _ accepted: Set<String>?, _ command: DMCtlCommand, _ output: Output
    ) throws(DMError) {
        guard let accepted, let operation, !accepted.contains(operation) else { return }
        let names = accepted.sorted().map { "\"\($0)\"" }.joined(separator: " or ")
        throw DMError(
            action: command.action,
            failure: .unexpectedOutput(
                DMOutputError(
                    expected: "\(command.name) reply", problem: "`op` is \"\(operation)\" where \(names) was expected",
                    output: output.stdout)))
    }

    /// The reply, or a rejection naming the top-level message and every failed member.
    private func succeeded(_ command: DMCtlCommand, _ reply: DMOperationReply) throws(DMError) -> DMOperationReply {
        guard reply.succeeded else {
            var message = reply.message
            if !reply.result, message == nil, let check = reply.checkResult {
                message = check.count <= 600 ? check : String(check.prefix(600)) + "…"
            }
            throw DMError(action: command.action, failure: .rejected(message: message, failures: reply.failedMembers))
        }
        return reply
    }
}
