import Glibc

/// Small state files replaced whole: write a temporary file, fsync it, rename
/// it over the old one, fsync the directory.
///
/// After a crash the path holds either the old or the new content, never a
/// mix; the directory fsync makes the rename itself durable.
public enum AtomicFile {
    public static func write(path: String, contents: [UInt8], mode: mode_t = 0o640) throws(Errno) {
        let directory = parentDirectory(of: path)
        let temporary = "\(path).tmp.\(getpid())"
        let fd = retryingOnInterrupt { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw .current("create \"\(temporary)\"") }
        do throws(Errno) {
            try writeAll(fd, contents, describing: temporary)
            guard fsync(fd) == 0 else { throw Errno.current("fsync \"\(temporary)\"") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let failure = Errno.current("rename \"\(temporary)\" to \"\(path)\"")
            unlink(temporary)
            throw failure
        }
        try syncDirectory(directory)
    }

    public static func write(path: String, text: String, mode: mode_t = 0o640) throws(Errno) {
        try write(path: path, contents: Array(text.utf8), mode: mode)
    }

    /// Makes a rename or a file creation in `directory` durable.
    public static func syncDirectory(_ directory: String) throws(Errno) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .current("open directory \"\(directory)\"") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .current("fsync directory \"\(directory)\"") }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}

/// Writes every byte, continuing after short writes and EINTR.
public func writeAll(_ fd: Int32, _ bytes: [UInt8], describing name: String) throws(Errno) {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { buffer in
            retryingOnInterrupt { Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
        }
        guard written > 0 else { throw .current("write \"\(name)\"") }
        offset += written
    }
}
