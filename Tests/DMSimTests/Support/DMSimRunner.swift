import Foundation
import Posix
import Sandbox

/// Runs the built `dmsim` binary like a dmctl caller would, in a private state directory.
///
/// Each run is a child process waited for on a thread of its own (`DedicatedThread`), so a
/// test never blocks the concurrency pool.
struct DMSimRunner: Sendable {
    /// Holds `state/` (dmsim's state directory) and `cwd/` (where dmsim writes dmctl.log).
    let directory: String
    let master = "127.0.0.1:8261"
    let version: String
    let executable: String

    struct Output: Sendable {
        var stdout: String
        var stderr: String
        var exitCode: Int32

        /// The JSON reply as a dictionary tree.
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw LabError("dmsim printed no JSON object: \(stdout) \(stderr)")
            }
            return object
        }
    }

    var statePath: String { directory + "/state" }
    var workingDirectory: String { directory + "/cwd" }

    /// dmsim's environment: the caller's, with the state directory and without a version override.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["DMSIM_STATE"] = statePath
        environment["DMSIM_VERSION"] = nil
        return environment
    }

    /// Creates `directory` and runs `dmsim sim-init` there with `initArguments` added.
    static func start(version: String, directory: String, initArguments: [String] = []) async throws -> DMSimRunner {
        let runner = DMSimRunner(directory: directory, version: version, executable: try ProductLocator.path(of: "dmsim"))
        try FileManager.default.createDirectory(atPath: runner.workingDirectory, withIntermediateDirectories: true)
        let setup = try await runner.run(
            ["sim-init", "--state", runner.statePath, "--version", version, "--master-addr", runner.master] + initArguments)
        guard setup.exitCode == 0 else { throw LabError("dmsim sim-init failed: \(setup.stderr)") }
        return runner
    }

    /// `dmsim ARGS` with the state directory in the environment.
    @discardableResult
    func run(_ arguments: [String], cwd: String? = nil, deadline: Duration = .seconds(60)) async throws -> Output {
        let options = Subprocess.Options(
            executable: executable, arguments: arguments, environment: environment,
            workingDirectory: cwd ?? workingDirectory, deadline: deadline)
        let outcome = try await DedicatedThread.run(name: "dmsim") { () throws(SubprocessError) in try Subprocess.run(options) }
        let code: Int32
        switch outcome.status {
        case .exited(let status): code = status
        case .signaled(let signal): code = 128 + signal
        }
        return Output(stdout: outcome.stdout, stderr: outcome.stderr, exitCode: code)
    }

    /// `dmsim --master-addr M ARGS` (v2+) or `dmsim -master-addr M ARGS` (v1).
    @discardableResult
    func dmctl(_ arguments: [String]) async throws -> Output {
        try await run([version.hasPrefix("v1") ? "-master-addr" : "--master-addr", master] + arguments)
    }

    /// Writes `text` to `name` in the runner's directory and returns the path.
    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// Walks a decoded JSON tree: `path(json, "sources", 0, "subTaskStatus", 0, "stage")`.
func path(_ root: Any?, _ steps: Any...) -> Any? {
    var current = root
    for step in steps {
        if let key = step as? String {
            current = (current as? [String: Any])?[key]
        } else if let index = step as? Int {
            guard let array = current as? [Any], array.indices.contains(index) else { return nil }
            current = array[index]
        }
    }
    return current
}

/// A fresh temporary directory for tests without servers.
func temporaryRoot(_ label: String) throws -> String {
    let root = NSTemporaryDirectory() + "dmsim-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    return root
}
