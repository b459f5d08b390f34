/// What dmswitch needs from a DM task file (`start-task` YAML, dm-interface §5.2): its name,
/// the downstream it writes to, and the sources it reads.
///
/// The daemon restarts tasks from these saved files (never from `config task`, whose
/// password is `******`) and uses them to know which tasks run on a group's source. dmsim,
/// which plays DM, also reads the downstream login and each source's `meta` start point.
/// `description` leaves the password out, so a task file can be logged.
public struct DMTaskFile: Hashable, Sendable, CustomStringConvertible {
    /// One `mysql-instances` entry.
    public struct Instance: Hashable, Sendable {
        /// `source-id`.
        public var sourceID: String
        /// `meta.binlog-gtid`: where DM starts when the downstream has no checkpoint yet.
        public var metaBinlogGTID: String?

        public init(sourceID: String, metaBinlogGTID: String? = nil) {
            self.sourceID = sourceID
            self.metaBinlogGTID = metaBinlogGTID
        }
    }

    public var path: String
    /// `name`.
    public var name: String
    /// `target-database.host`.
    public var targetHost: String
    /// `target-database.port`.
    public var targetPort: Int
    /// `target-database.user`, if set.
    public var targetUser: String?
    /// `target-database.password` exactly as written (plaintext or dmctl-encrypted), if set.
    public var targetPassword: String?
    /// `mysql-instances`, in file order.
    public var instances: [Instance]

    /// `mysql-instances[].source-id`, in file order.
    public var sourceIDs: [String] { instances.map(\.sourceID) }

    public var description: String {
        "DM task \"\(name)\" in \"\(path)\" from \(sourceIDs.joined(separator: ", ")) to \(targetHost):\(targetPort)"
    }

    static let readAction = "read the DM task file"

    public static func read(path: String) throws(DMFileError) -> DMTaskFile {
        try parse(DMFileReplacement.readText(path, action: readAction), path: path)
    }

    public static func parse(_ text: String, path: String) throws(DMFileError) -> DMTaskFile {
        let document = try DMYAMLDocument(text: text, path: path, action: readAction)
        let name = try document.string("name")
        if name.isEmpty {
            throw DMFileError(action: readAction, path: path, line: document.entry("name")?.lineNumber, problem: "`name` is empty")
        }
        let count = document.itemCount("mysql-instances")
        if count == 0 {
            throw DMFileError(action: readAction, path: path, problem: "it lists no `mysql-instances`")
        }
        var instances: [Instance] = []
        for index in 0..<count {
            let item = "mysql-instances[\(index)]"
            let sourceID = try document.string("\(item).source-id")
            if instances.contains(where: { $0.sourceID == sourceID }) {
                throw DMFileError(
                    action: readAction, path: path, line: document.entry("\(item).source-id")?.lineNumber,
                    problem: "source-id \"\(sourceID)\" is listed twice in `mysql-instances`")
            }
            instances.append(Instance(sourceID: sourceID, metaBinlogGTID: try document.optionalString("\(item).meta.binlog-gtid")))
        }
        return DMTaskFile(
            path: path, name: name, targetHost: try document.string("target-database.host"),
            targetPort: try document.port("target-database.port"),
            targetUser: try document.optionalString("target-database.user"),
            targetPassword: try document.optionalString("target-database.password"), instances: instances)
    }
}
