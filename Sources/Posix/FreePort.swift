import Glibc
import Synchronization

/// Picks TCP ports nobody listens on, for servers started in tests and the sandbox.
///
/// The kernel chooses a free port when a socket binds to port 0; the socket is
/// closed again and the number handed out. Ports handed out by this process are
/// remembered and never handed out twice, so concurrent sandboxes in one test
/// process cannot collide with each other before their servers bind.
public enum FreePort {
    private static let handedOut = Mutex<Set<UInt16>>([])

    /// A port on `host` (an IPv4 address) that was free a moment ago.
    public static func allocate(host: String = "127.0.0.1") throws(Errno) -> UInt16 {
        for _ in 0..<64 {
            let port = try probe(host: host)
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh { return port }
        }
        throw Errno(EADDRINUSE, "find a free TCP port on \(host)")
    }

    /// (With `_GNU_SOURCE`, glibc declares the sockaddr arguments as transparent
    /// unions, hence `__SOCKADDR_ARG(__sockaddr__:)`.)
    private static func probe(host: String) throws(Errno) -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Errno.current("create a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw Errno(EINVAL, "parse the IPv4 address \"\(host)\"")
        }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, __CONST_SOCKADDR_ARG(__sockaddr__: $0), socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw Errno.current("bind a socket to \(host):0") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, __SOCKADDR_ARG(__sockaddr__: $0), &length) }
        }
        guard named == 0 else { throw Errno.current("read the port bound on \(host)") }
        return UInt16(bigEndian: address.sin_port)
    }
}
