import Posix

/// Why the journal could not be read or written.
public enum RunJournalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed (open, write, fsync, rename …); the errno says which and why.
    case system(Errno)
    /// A complete line (one that ends with a newline, so not a torn write) is not a record this
    /// dmswitchd reads. The journal is refused rather than half-read: ignoring a line could
    /// forget a safety hold or an unfinished run.
    case damagedLine(path: String, line: Int, reason: String)
    /// A journal file's path names something other than a regular file (a device, a directory).
    case notAFile(path: String)
    /// The journal was closed; nothing more is written.
    case closed(path: String)

    public var description: String {
        switch self {
        case .system(let errno):
            errno.description
        case .damagedLine(let path, let line, let reason):
            "The journal \"\(path)\" is damaged at line \(line): \(reason) dmswitchd does not start on a damaged journal; read the line, then move the file aside."
        case .notAFile(let path):
            "The journal file \"\(path)\" is not a regular file; dmswitchd keeps its journal in plain files in the state directory."
        case .closed(let path):
            "Could not append to the journal \"\(path)\": it is closed."
        }
    }
}
