/// A DM source file, task file or DM-Ansible inventory that cannot be read or rewritten.
///
/// Names the file and, where there is one, the line, so an operator can go straight to it:
/// `Could not read the DM source file "/etc/dmswitch/s1.yaml": line 7: `from.port` is "abc", not a port number.`
public struct DMFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was being done, e.g. "read the DM source file".
    public var action: String
    public var path: String
    /// 1-based line number, when the problem is on one line.
    public var line: Int?
    public var problem: String

    public init(action: String, path: String, line: Int? = nil, problem: String) {
        self.action = action
        self.path = path
        self.line = line
        self.problem = problem
    }

    public var description: String {
        let location = line.map { "line \($0): " } ?? ""
        return "Could not \(action) \"\(path)\": \(location)\(problem.trimmingTrailingPeriod)."
    }
}
