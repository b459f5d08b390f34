import Foundation
import Posix

/// Replaces a configuration file the way a crash cannot corrupt: the previous content is
/// kept as `<file>.prev`, the new content goes to a temporary file that is fsynced and
/// renamed over the original, and the directory is fsynced.
///
/// Both writes keep the original file's permission bits, because DM source files hold the
/// (encrypted) upstream password and inventories hold `mysql_password`.
enum DMFileReplacement {
    /// The original bytes and permission bits of `path`.
    static func read(_ path: String, action: String) throws(DMFileError) -> (text: String, mode: mode_t) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw DMFileError(action: action, path: path, problem: Errno.current("stat").message)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DMFileError(action: action, path: path, problem: "it is not a regular file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DMFileError(action: action, path: path, problem: "it cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DMFileError(action: action, path: path, problem: "it is not UTF-8 text")
        }
        return (text, info.st_mode & 0o7777)
    }

    /// Reads the text of `path` for parsing only.
    static func readText(_ path: String, action: String) throws(DMFileError) -> String {
        try read(path, action: action).text
    }

    /// Writes `<path>.prev` with `previous`, then replaces `path` with `replacement`; returns
    /// the backup's path.
    static func replace(_ path: String, previous: String, replacement: String, mode: mode_t, action: String) throws(DMFileError)
        -> String
    {
        let backup = path + ".prev"
        do {
            try AtomicFile.write(path: backup, text: previous, mode: mode)
        } catch {
            throw DMFileError(action: action, path: path, problem: "the backup \"\(backup)\" could not be written (\(error))")
        }
        do {
            try AtomicFile.write(path: path, text: replacement, mode: mode)
        } catch {
            throw DMFileError(action: action, path: path, problem: "the new content could not be written (\(error))")
        }
        return backup
    }
}

/// What a rewrite of an upstream address did.
public struct DMAddressRewrite: Hashable, Sendable {
    /// The address the file named before.
    public var previousHost: String
    public var previousPort: Int
    /// Whether the file changed; false when it already named the new address (a repeated
    /// step after a restart changes nothing).
    public var changed: Bool
    /// Where the previous content was kept, when the file changed.
    public var backupPath: String?

    public init(previousHost: String, previousPort: Int, changed: Bool, backupPath: String?) {
        self.previousHost = previousHost
        self.previousPort = previousPort
        self.changed = changed
        self.backupPath = backupPath
    }
}

/// Checks a new upstream address before it is written into a file.
enum DMAddressCheck {
    static func validate(host: String, port: Int, path: String, action: String) throws(DMFileError) {
        if host.isEmpty || host.contains(where: { $0.isWhitespace || $0.isNewline || ($0.asciiValue ?? 0x20) < 0x20 })
            || host.contains(where: { "\"'#,;=".contains($0) })
        {
            throw DMFileError(action: action, path: path, problem: "the new host \"\(host)\" is not a host name or address")
        }
        if !(1...65535).contains(port) {
            throw DMFileError(action: action, path: path, problem: "the new port \(port) is not a port number")
        }
    }
}

/// Splitting configuration text into lines without losing a byte.
enum DMTextLines {
    /// `text` split at every "\n" scalar. Splitting by `Character` would miss CRLF line ends,
    /// because "\r\n" is one grapheme; here the "\r" stays at the end of its line, and
    /// joining the result with "\n" gives `text` back exactly.
    static func split(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
    }
}
