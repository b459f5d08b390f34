import Foundation
import Glibc

/// Directories the sandbox creates.
enum SandboxDirectory {
    /// The directory for temporary files (`TMPDIR`, else /tmp).
    static var temporaryRoot: String {
        let root = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    /// A new, empty directory `<tmp>/<prefix>XXXXXX` (mkdtemp, mode 0700).
    static func makeTemporary(prefix: String) throws(SandboxError) -> String {
        var template = Array((temporaryRoot + "/" + prefix + "XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else {
            throw SandboxError("create a temporary directory in \(temporaryRoot)", String(cString: strerror(errno)))
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Creates `path` and its parents (mode 0755 unless given).
    static func create(_ path: String, mode: Int = 0o755) throws(SandboxError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: mode])
        } catch {
            throw SandboxError("create the directory \(path)", error.localizedDescription)
        }
    }

    /// The absolute form of `path` (relative to the working directory).
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }
}
