import Glibc
import Posix

/// Creates the listening control socket: directory, stale-socket removal, bind, mode, group, listen.
///
/// A socket file left behind by a killed daemon is removed only after connect() to it gets
/// ECONNREFUSED, so a second daemon can never steal the socket of a live one. The file's mode and
/// group are set before listen(), so no client can connect while it is still too open.
enum ControlSocketSetup {
    /// The bound, listening socket and the identity of its file (for a safe unlink at stop).
    struct Listener {
        let socket: UnixSocket
        let device: UInt64
        let inode: UInt64
    }

    static func open(
        _ configuration: ControlServerConfiguration, authorization: ControlAuthorization,
        report: (ControlServerEvent) -> Void
    ) throws(ControlServerError) -> Listener {
        let path = configuration.socketPath
        let address: UnixSocketAddress
        do { address = try UnixSocketAddress(path) } catch { throw ControlServerError(.socket(error)) }
        if !address.isAbstract {
            try prepareDirectory(of: path, configuration: configuration, authorization: authorization, report: report)
            try removeStaleSocket(at: address)
        }
        let socket: UnixSocket
        do { socket = try UnixSocket.make(.stream) } catch { throw ControlServerError(.socket(error)) }
        do {
            try socket.bind(to: address)
            var identity = stat()
            if !address.isAbstract {
                guard chmod(path, configuration.socketMode) == 0 else {
                    throw ControlServerError(.permissions(path: path, errno: errno))
                }
                if let gid = authorization.groupID, chown(path, UInt32.max, gid) != 0 {
                    throw ControlServerError(.permissions(path: path, errno: errno))
                }
                _ = lstat(path, &identity)
            }
            do { try socket.listen(backlog: Int32(SOMAXCONN)) } catch { throw ControlServerError(.socket(error)) }
            return Listener(socket: socket, device: UInt64(identity.st_dev), inode: UInt64(identity.st_ino))
        } catch let error as ControlServerError {
            socket.close()
            throw error
        } catch let error as UnixSocketError {
            socket.close()
            throw ControlServerError(.socket(error))
        } catch {
            socket.close()
            throw ControlServerError(.socket(UnixSocketError(.bind, address: path, detail: "\(error)")))
        }
    }

    /// Removes the socket file at stop, unless another daemon has replaced it meanwhile.
    static func unlinkIfOurs(_ listener: Listener, path: String) {
        var current = stat()
        guard lstat(path, &current) == 0, UInt64(current.st_dev) == listener.device,
            UInt64(current.st_ino) == listener.inode
        else { return }
        unlink(path)
    }

    /// Creates missing directories (the last one with the configured mode and the control group);
    /// an existing directory is left alone but reported if the group cannot traverse it.
    private static func prepareDirectory(
        of socketPath: String, configuration: ControlServerConfiguration, authorization: ControlAuthorization,
        report: (ControlServerEvent) -> Void
    ) throws(ControlServerError) {
        let directory = parentDirectory(of: socketPath)
        var info = stat()
        if stat(directory, &info) == 0 {
            if let name = authorization.groupName, let gid = authorization.groupID,
                !canTraverse(mode: info.st_mode, owner: info.st_gid, gid: gid)
            {
                report(.directoryNotTraversable(path: directory, group: name))
            }
            return
        }
        guard errno == ENOENT else { throw ControlServerError(.directory(path: directory, errno: errno)) }
        try makeDirectory(directory, mode: configuration.directoryMode, group: authorization.groupID)
    }

    /// Creates `path` (missing parents 0755) with exactly `mode` and, if given, `group`.
    private static func makeDirectory(_ path: String, mode: mode_t, group: UInt32?) throws(ControlServerError) {
        let parent = parentDirectory(of: path)
        var info = stat()
        if parent != path && stat(parent, &info) != 0 {
            try makeDirectory(parent, mode: 0o755, group: nil)
        }
        guard mkdir(path, mode) == 0 || errno == EEXIST else {
            throw ControlServerError(.directory(path: path, errno: errno))
        }
        // mkdir applies the umask; set the mode exactly.
        guard chmod(path, mode) == 0 else { throw ControlServerError(.directory(path: path, errno: errno)) }
        if let group, chown(path, UInt32.max, group) != 0 {
            throw ControlServerError(.directory(path: path, errno: errno))
        }
    }

    /// Whether members of `gid` can enter a directory with `mode` and group `owner`.
    private static func canTraverse(mode: mode_t, owner: UInt32, gid: UInt32) -> Bool {
        mode & 0o001 != 0 || (owner == gid && mode & 0o010 != 0)
    }

    private static func removeStaleSocket(at address: UnixSocketAddress) throws(ControlServerError) {
        guard let path = address.path else { return }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw ControlServerError(.directory(path: path, errno: errno))
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw ControlServerError(.notASocket(path: path)) }
        let probe: UnixSocket
        do { probe = try UnixSocket.make(.stream) } catch { throw ControlServerError(.socket(error)) }
        defer { probe.close() }
        do {
            try probe.connect(to: address)
            throw ControlServerError(.inUse(path: path))
        } catch let error as UnixSocketError where error.errno == ECONNREFUSED {
            unlink(path)
        } catch let error as UnixSocketError {
            throw ControlServerError(.socket(error))
        } catch let error as ControlServerError {
            throw error
        } catch {
            throw ControlServerError(.inUse(path: path))
        }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}
