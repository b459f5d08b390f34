/// What dmswitch needs from a DM task file (`start-task` YAML, dm-interface §5.2): its name,
/// the downstream it writes to, and the sources it reads.
///
/// The daemon restarts tasks from these saved files (never from `config task`, whose
/// password is `******`) and uses them to know which tasks run on a group's source.
public struct DMTaskFile: Hashable, Sendable {
    public var path: String
    /// `name`.
    public var name: String
    /// `target-database.host`.
    public var targetHost: String
    /// `target-database.port`.
    public var targetPort: Int
    /// `target-database.user`, if set.
    public var targetUser: String?
    /// `mysql-instances[].source-id`, in file order.
    public var sourceIDs: [String]

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
        var sourceIDs: [String] = []
        for index in 0..<count {
            let key = "mysql-instances[\(index)].source-id"
            let sourceID = try document.string(key)
            if sourceIDs.contains(sourceID) {
                throw DMFileError(
                    action: readAction, path: path, line: document.entry(key)?.lineNumber,
                    problem: "source-id \"\(sourceID)\" is listed twice in `mysql-instances`")
            }
            sourceIDs.append(sourceID)
        }
        return DMTaskFile(
            path: path, name: name, targetHost: try document.string("target-database.host"),
            targetPort: try document.port("target-database.port"),
            targetUser: try document.optionalString("target-database.user"), sourceIDs: sourceIDs)
    }
}
