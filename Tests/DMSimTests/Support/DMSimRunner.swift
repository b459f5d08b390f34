import Foundation
import Posix
import Testing

/// Runs the built `dmsim` binary like a dmctl caller would, in a private state directory.
struct DMSimRunner {
    let directory: String
    let master = "127.0.0.1:8261"
    var version: String

    struct Output {
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

    /// The dmsim executable next to the test bundle (`swift build --build-tests` builds it).
    static func executable() throws -> String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        for candidate in [directory + "/dmsim", directory + "/../dmsim"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw LabError("the dmsim executable was not found next to \(CommandLine.arguments[0]); run `swift build --build-tests`")
    }

    init(version: String, root: String, extraInit: [String] = []) throws {
        self.version = version
        directory = root + "/dmsim"
        try FileManager.default.createDirectory(atPath: directory + "/cwd", withIntermediateDirectories: true)
        let setup = try run(["sim-init", "--state", directory + "/state", "--version", version, "--master-addr", master] + extraInit)
        guard setup.exitCode == 0 else { throw LabError("sim-init failed: \(setup.stderr)") }
    }

    /// `dmsim ARGS` with the state directory in the environment.
    @discardableResult
    func run(_ arguments: [String], cwd: String? = nil, deadline: Duration = .seconds(60)) throws -> Output {
        var environment = ProcessInfo.processInfo.environment
        environment["DMSIM_STATE"] = directory + "/state"
        environment["DMSIM_VERSION"] = nil
        let outcome = try Subprocess.run(.init(executable: try DMSimRunner.executable(), arguments: arguments,
                                               environment: environment, workingDirectory: cwd ?? directory + "/cwd",
                                               deadline: deadline))
        let code: Int32
        switch outcome.status {
        case .exited(let status): code = status
        case .signaled(let signal): code = 128 + signal
        }
        return Output(stdout: outcome.stdout, stderr: outcome.stderr, exitCode: code)
    }

    /// `dmsim --master-addr M ARGS` (v2+) or `dmsim -master-addr M ARGS` (v1).
    @discardableResult
    func dmctl(_ arguments: [String]) throws -> Output {
        try run([version.hasPrefix("v1") ? "-master-addr" : "--master-addr", master] + arguments)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func sourceFile(id: String, port: Int, relay: Bool = false) throws -> String {
        try write("\(id)-\(port).yaml", """
            source-id: "\(id)"
            enable-gtid: true
            enable-relay: \(relay)
            flavor: mariadb
            from:
              host: "127.0.0.1"
              port: \(port)
              user: "root"
              password: ""
            """)
    }

    func taskFile(name: String, targetPort: Int, sources: [String]) throws -> String {
        try write("\(name).yaml", """
            name: "\(name)"
            task-mode: incremental
            target-database:
              host: "127.0.0.1"
              port: \(targetPort)
              user: "root"
              password: ""
            mysql-instances:
            \(sources.map { "  - source-id: \"\($0)\"" }.joined(separator: "\n"))
            """)
    }
}

/// Walks a decoded JSON tree: `path(json, "sources", 0, "subTaskStatus", 0, "stage")`.
func path(_ root: Any?, _ steps: Any...) -> Any? {
    var current = root
    for step in steps {
        if let key = step as? String { current = (current as? [String: Any])?[key] }
        else if let index = step as? Int {
            guard let array = current as? [Any], array.indices.contains(index) else { return nil }
            current = array[index]
        }
    }
    return current
}

func temporaryRoot(_ label: String) throws -> String {
    let root = NSTemporaryDirectory() + "dmsim-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    return root
}
