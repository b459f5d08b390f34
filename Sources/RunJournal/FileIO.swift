import Glibc
import Posix

/// The few file operations the journal needs, each one system call deep, with EINTR retried
/// and failures as `Errno`.
enum FileIO {
    /// The whole file, or nil when it does not exist.
    static func read(_ path: String) throws(Errno) -> [UInt8]? {
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .current("open \"\(path)\"")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                retryingOnInterrupt { Glibc.read(fd, buffer.baseAddress, buffer.count) }
            }
            if count < 0 { throw .current("read \"\(path)\"") }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    /// Opens (creating) a file for appending; a newly created file's directory entry is
    /// made durable.
    static func openForAppend(_ path: String, directory: String) throws(Errno) -> Int32 {
        let existed = access(path, F_OK) == 0
        let fd = retryingOnInterrupt { open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640) }
        guard fd >= 0 else { throw .current("open \"\(path)\" for appending") }
        if !existed {
            do throws(Errno) {
                try AtomicFile.syncDirectory(directory)
            } catch {
                close(fd)
                throw error
            }
        }
        return fd
    }

    /// Writes the bytes and waits until they are on disk.
    static func appendDurably(_ fd: Int32, _ bytes: [UInt8], path: String) throws(Errno) {
        try writeAll(fd, bytes, describing: path)
        guard retryingOnInterrupt({ fsync(fd) }) == 0 else { throw .current("fsync \"\(path)\"") }
    }

    /// Cuts the file to `length` bytes, durably.
    static func truncate(_ path: String, to length: Int) throws(Errno) {
        let fd = retryingOnInterrupt { open(path, O_WRONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw .current("open \"\(path)\" to cut its torn end") }
        defer { close(fd) }
        guard retryingOnInterrupt({ ftruncate(fd, off_t(length)) }) == 0 else { throw .current("truncate \"\(path)\"") }
        guard retryingOnInterrupt({ fsync(fd) }) == 0 else { throw .current("fsync \"\(path)\"") }
    }

    /// True when `path` does not exist or is a regular file (after symlinks); a device or a
    /// directory in its place is refused, since reading one may never end.
    static func isRegularOrAbsent(_ path: String) throws(Errno) -> Bool {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { return true }
            throw .current("stat \"\(path)\"")
        }
        return info.st_mode & S_IFMT == S_IFREG
    }

    /// The file's size in bytes (0 when it does not exist).
    static func size(_ path: String) throws(Errno) -> Int {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { return 0 }
            throw .current("stat \"\(path)\"")
        }
        return Int(info.st_size)
    }

    /// Renames, then makes the rename durable.
    static func renameDurably(_ from: String, to: String, directory: String) throws(Errno) {
        guard rename(from, to) == 0 else { throw .current("rename \"\(from)\" to \"\(to)\"") }
        try AtomicFile.syncDirectory(directory)
    }
}
