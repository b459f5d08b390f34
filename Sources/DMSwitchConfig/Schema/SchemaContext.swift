/// What reading the schema collects: every problem, and the files the configuration names,
/// to be checked on disk afterwards if the caller wants (see `ReferencedFilePolicy`).
///
/// One shared collector, because the point of the schema pass is to report everything wrong
/// with a file in one go.
final class SchemaContext {
    let file: String
    /// The default `node-name`; a parameter so tests do not depend on the machine.
    let hostName: String
    private(set) var problems: [ConfigProblem] = []
    private(set) var references: [ReferencedFile] = []
    /// The keys the schema knows, by table (`daemon`, `group`, `group.instance`), in schema
    /// order: what the reference file must document.
    private(set) var knownKeys: [String: [String]] = [:]

    init(file: String, hostName: String) {
        self.file = file
        self.hostName = hostName
    }

    var hasErrors: Bool { problems.contains { $0.severity == .error } }

    func error(_ message: String, at location: SourceLocation?, key: String?) {
        problems.append(ConfigProblem(file: file, location: location, key: key, message: message))
    }

    func recordKnownKeys(_ keys: [String], table keyPath: String) {
        // `group[2].instance[1]` → `group.instance`
        let table = String(keyPath.split(separator: ".").map { $0.prefix { $0 != "[" } }.joined(separator: "."))
        knownKeys[table, default: []].append(contentsOf: keys.filter { !(knownKeys[table] ?? []).contains($0) })
    }

    func reference(_ path: String, _ kind: ReferencedFile.Kind, at location: SourceLocation?, key: String) {
        references.append(ReferencedFile(path: path, kind: kind, location: location, key: key))
    }
}

/// A value read from the file, with where it was written, for checks that compare values
/// across tables and must point at both places.
struct Located<Value> {
    var value: Value
    var location: SourceLocation
}

/// A file or program the configuration names, to be checked on disk.
struct ReferencedFile: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        /// A password file: must be readable, and should not be readable by everyone.
        case secret
        /// Read by the daemon or DM (certificates, task files).
        case readable
        /// Read and rewritten in place (temp file and rename) in its directory.
        case rewritable
        /// A program the daemon runs.
        case executable
    }

    var path: String
    var kind: Kind
    /// `nil` for a default the file does not spell out (`dmctl-path`).
    var location: SourceLocation?
    var key: String
}
