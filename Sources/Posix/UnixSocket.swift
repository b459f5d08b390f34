import Glibc

/// A Unix-domain socket descriptor with thin, typed wrappers for the calls dmswitch makes.
///
/// It is a plain value around the descriptor: whoever creates it closes it, exactly once. Every call
/// retries on EINTR and reports failures as `UnixSocketError` (one errno path). Descriptors are
/// created close-on-exec so the dmctl and hook children the daemon spawns never inherit them.
public struct UnixSocket: Hashable, Sendable {
    /// The socket types dmswitch uses.
    public enum Kind: Sendable {
        /// SOCK_STREAM: the control socket.
        case stream
        /// SOCK_DGRAM: syslog and sd_notify.
        case datagram
    }

    public let descriptor: Int32

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Creates a close-on-exec socket, optionally non-blocking.
    public static func make(_ kind: Kind, nonBlocking: Bool = false) throws(UnixSocketError) -> UnixSocket {
        var type = (kind == .stream ? SOCK_STREAM : SOCK_DGRAM).rawValue | SOCK_CLOEXEC.rawValue
        if nonBlocking { type |= SOCK_NONBLOCK.rawValue }
        let fd = socket(AF_UNIX, Int32(type), 0)
        guard fd >= 0 else { throw UnixSocketError(.socket, address: nil, errno: errno) }
        return UnixSocket(descriptor: fd)
    }

    /// Connects to `address`. An interrupted connect that completed anyway counts as success.
    public func connect(to address: UnixSocketAddress) throws(UnixSocketError) {
        var interrupted = false
        while true {
            let rc = address.withSockaddr { Glibc.connect(descriptor, __CONST_SOCKADDR_ARG(__sockaddr__: $0), $1) }
            if rc == 0 { return }
            let code = errno
            if code == EINTR { interrupted = true; continue }
            if interrupted && code == EISCONN { return }
            throw UnixSocketError(.connect, address: address.description, errno: code)
        }
    }

    /// Binds to `address` (the file is created with the process umask; callers chmod it).
    public func bind(to address: UnixSocketAddress) throws(UnixSocketError) {
        let rc = address.withSockaddr { Glibc.bind(descriptor, __CONST_SOCKADDR_ARG(__sockaddr__: $0), $1) }
        guard rc == 0 else { throw UnixSocketError(.bind, address: address.description, errno: errno) }
    }

    /// Starts accepting connections with a backlog of `backlog`.
    public func listen(backlog: Int32) throws(UnixSocketError) {
        guard Glibc.listen(descriptor, backlog) == 0 else {
            throw UnixSocketError(.listen, address: nil, errno: errno)
        }
    }

    /// Accepts one connection, close-on-exec from the start (accept4), so a child spawned at the
    /// same moment cannot inherit it.
    public func accept() throws(UnixSocketError) -> UnixSocket {
        while true {
            let fd = accept4(descriptor, __SOCKADDR_ARG(__sockaddr__: nil), nil, Int32(SOCK_CLOEXEC.rawValue))
            if fd >= 0 { return UnixSocket(descriptor: fd) }
            let code = errno
            if code == EINTR || code == ECONNABORTED { continue }
            throw UnixSocketError(.accept, address: nil, errno: code)
        }
    }

    /// Sends bytes with `MSG_NOSIGNAL` plus `flags`, returning how many were taken.
    public func send(_ bytes: UnsafeRawBufferPointer, flags: Int32 = 0) throws(UnixSocketError) -> Int {
        while true {
            let n = Glibc.send(descriptor, bytes.baseAddress, bytes.count, flags | Int32(MSG_NOSIGNAL))
            if n >= 0 { return n }
            let code = errno
            if code == EINTR { continue }
            throw UnixSocketError(.send, address: nil, errno: code)
        }
    }

    /// Sends `bytes` (one datagram on a datagram socket), returning how many were taken.
    public func send(_ bytes: [UInt8], flags: Int32 = 0) throws(UnixSocketError) -> Int {
        try send(bytes[...], flags: flags)
    }

    /// Sends `bytes`, returning how many were taken.
    public func send(_ bytes: ArraySlice<UInt8>, flags: Int32 = 0) throws(UnixSocketError) -> Int {
        let result: Result<Int, UnixSocketError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(UnixSocketError) in try send(buffer, flags: flags) }
        }
        return try result.get()
    }

    /// Reads at most `maximum` bytes into the start of `buffer`; 0 means the peer closed its end.
    public func receive(into buffer: inout [UInt8], maximum: Int, flags: Int32 = 0) throws(UnixSocketError) -> Int {
        let count = min(maximum, buffer.count)
        let result: Result<Int, UnixSocketError> = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(UnixSocketError) in
                try receive(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<count]), flags: flags)
            }
        }
        return try result.get()
    }

    /// Reads up to `buffer.count` bytes; 0 means the peer closed its end.
    public func receive(into buffer: UnsafeMutableRawBufferPointer, flags: Int32 = 0) throws(UnixSocketError) -> Int {
        while true {
            let n = recv(descriptor, buffer.baseAddress, buffer.count, flags)
            if n >= 0 { return n }
            let code = errno
            if code == EINTR { continue }
            throw UnixSocketError(.receive, address: nil, errno: code)
        }
    }

    /// Waits until the socket is readable (`forWriting == false`) or writable, for at most
    /// `milliseconds`. Returns false on timeout; hang-ups and errors count as ready so that the
    /// next read or write reports them.
    public func wait(forWriting: Bool, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(forWriting ? POLLOUT : POLLIN), revents: 0)
        while true {
            let rc = poll(&entry, 1, milliseconds)
            if rc > 0 { return true }
            if rc == 0 { return false }
            if errno != EINTR { return true }
        }
    }

    /// Sets an integer socket option at SOL_SOCKET level.
    public func setOption(_ name: Int32, _ value: Int32) throws(UnixSocketError) {
        var v = value
        guard setsockopt(descriptor, SOL_SOCKET, name, &v, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw UnixSocketError(.option, address: nil, errno: errno)
        }
    }

    /// The credentials the peer had when it called connect() (SO_PEERCRED).
    public func peerCredentials() throws(UnixSocketError) -> PeerCredentials {
        var raw = ucred()
        var length = socklen_t(MemoryLayout<ucred>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_PEERCRED, &raw, &length) == 0 else {
            throw UnixSocketError(.credentials, address: nil, errno: errno)
        }
        return PeerCredentials(pid: raw.pid, uid: raw.uid, gid: raw.gid)
    }

    /// Shuts down both directions; wakes a thread blocked in accept() on a listening socket.
    public func shutdown() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Closes the descriptor. Call exactly once.
    public func close() {
        _ = Glibc.close(descriptor)
    }
}

/// The process credentials of a Unix socket peer, as the kernel recorded them at connect().
public struct PeerCredentials: Hashable, Sendable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}
