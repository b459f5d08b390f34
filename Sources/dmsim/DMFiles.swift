import Foundation

/// An address and login of a MySQL/MariaDB server as written in a DM file.
struct DBEndpoint: Codable, Equatable, Sendable {
    var host: String
    var port: Int
    var user: String
    var password: String

    var address: String { "\(host):\(port)" }
}

/// Why a DM source or task file was refused; the text names the file and the problem.
struct DMFileError: Error, Equatable, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "The DM file \"\(path)\" cannot be used: \(reason)." }
}

/// The parts of a DM source file (`operate-source create`, dm-interface §5.1) dmsim acts on.
struct SourceFile: Equatable, Sendable {
    var sourceID: String
    var from: DBEndpoint
    var enableGTID: Bool
    var enableRelay: Bool
    var flavor: String

    /// DM's `MaxSourceIDLength`.
    static let maxSourceIDLength = 32

    static func load(path: String) throws(DMFileError) -> SourceFile {
        try parse(try DMFiles.read(path), path: path)
    }

    static func parse(_ text: String, path: String) throws(DMFileError) -> SourceFile {
        let root = try DMFiles.yaml(text, path: path)
        guard let sourceID = root["source-id"]?.string, !sourceID.isEmpty else {
            throw DMFileError(path: path, reason: "\"source-id\" is missing")
        }
        guard sourceID.count <= maxSourceIDLength else {
            throw DMFileError(path: path, reason: "\"source-id\" is longer than \(maxSourceIDLength) characters")
        }
        guard let from = root["from"] else {
            throw DMFileError(path: path, reason: "the \"from\" section is missing")
        }
        let endpoint = try DMFiles.endpoint(from, section: "from", path: path)
        let flavor = root["flavor"]?.string ?? ""
        guard ["", "mysql", "mariadb"].contains(flavor.lowercased()) else {
            throw DMFileError(path: path, reason: "\"flavor\" must be mysql or mariadb, not \"\(flavor)\"")
        }
        return SourceFile(sourceID: sourceID, from: endpoint,
                          enableGTID: try DMFiles.flag(root, "enable-gtid", path: path),
                          enableRelay: try DMFiles.flag(root, "enable-relay", path: path),
                          flavor: flavor.lowercased())
    }
}

/// The parts of a DM task file (`start-task`, dm-interface §5.2) dmsim acts on.
struct TaskFile: Equatable, Sendable {
    struct Instance: Equatable, Sendable {
        var sourceID: String
        /// `meta.binlog-gtid`: where to start when the downstream has no checkpoint yet.
        var metaGTID: String
    }

    var name: String
    var target: DBEndpoint
    var instances: [Instance]

    static func load(path: String) throws(DMFileError) -> TaskFile {
        try parse(try DMFiles.read(path), path: path)
    }

    static func parse(_ text: String, path: String) throws(DMFileError) -> TaskFile {
        let root = try DMFiles.yaml(text, path: path)
        guard let name = root["name"]?.string, !name.isEmpty else {
            throw DMFileError(path: path, reason: "\"name\" is missing")
        }
        guard let target = root["target-database"] else {
            throw DMFileError(path: path, reason: "the \"target-database\" section is missing")
        }
        let endpoint = try DMFiles.endpoint(target, section: "target-database", path: path)
        var instances: [Instance] = []
        for item in root["mysql-instances"]?.items ?? [] {
            guard let sourceID = item["source-id"]?.string, !sourceID.isEmpty else {
                throw DMFileError(path: path, reason: "an entry of \"mysql-instances\" has no \"source-id\"")
            }
            if instances.contains(where: { $0.sourceID == sourceID }) {
                throw DMFileError(path: path, reason: "source \"\(sourceID)\" is listed twice in \"mysql-instances\"")
            }
            instances.append(Instance(sourceID: sourceID, metaGTID: item["meta"]?["binlog-gtid"]?.string ?? ""))
        }
        guard !instances.isEmpty else {
            throw DMFileError(path: path, reason: "\"mysql-instances\" lists no source")
        }
        return TaskFile(name: name, target: endpoint, instances: instances)
    }
}

/// Shared helpers for reading DM files.
enum DMFiles {
    static func read(_ path: String) throws(DMFileError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DMFileError(path: path, reason: "it does not exist or is not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DMFileError(path: path, reason: "it is not UTF-8 text")
        }
        return text
    }

    static func yaml(_ text: String, path: String) throws(DMFileError) -> YAMLNode {
        let root: YAMLNode
        do {
            root = try YAMLReader.parse(text)
        } catch {
            throw DMFileError(path: path, reason: "it is not valid YAML (\(error))")
        }
        guard case .mapping = root else {
            throw DMFileError(path: path, reason: "its top level is not a mapping")
        }
        return root
    }

    static func endpoint(_ node: YAMLNode, section: String, path: String) throws(DMFileError) -> DBEndpoint {
        guard let host = node["host"]?.string, !host.isEmpty else {
            throw DMFileError(path: path, reason: "\"\(section).host\" is missing")
        }
        guard let portText = node["port"]?.string else {
            throw DMFileError(path: path, reason: "\"\(section).port\" is missing")
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw DMFileError(path: path, reason: "\"\(section).port\" is not a port number: \"\(portText)\"")
        }
        return DBEndpoint(host: host, port: port, user: node["user"]?.string ?? "root",
                          password: node["password"]?.string ?? "")
    }

    static func flag(_ root: YAMLNode, _ key: String, path: String) throws(DMFileError) -> Bool {
        guard let node = root[key] else { return false }
        guard let value = node.bool else {
            throw DMFileError(path: path, reason: "\"\(key)\" must be true or false")
        }
        return value
    }
}
