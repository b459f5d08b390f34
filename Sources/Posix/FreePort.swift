import Glibc
import Synchronization

/// Picks TCP ports nobody listens on, for servers started in tests and the sandbox.
///
/// A port is taken at random below the kernel's ephemeral range
/// (`net.ipv4.ip_local_port_range`) and checked by binding a socket to it, which
/// is closed again. Ports of the ephemeral range are avoided because every
/// outgoing connection on the machine takes its local port from there: between
/// this check and the server's own bind, seconds later, a client connection (of
/// any test on the machine) could take the port, and the server would fail with
/// "Address already in use". When no such port is free, the kernel's choice
/// (binding to port 0) is used. Ports handed out by this process are remembered
/// and never handed out twice, so concurrent sandboxes in one test process
/// cannot collide with each other before their servers bind.
public enum FreePort {
    private static let handedOut = Mutex<Set<UInt16>>([])

    /// Where ports are looked for first: the 20 000 ports below the ephemeral range.
    static var quietRange: ClosedRange<UInt16>? {
        let ephemeralStart = ephemeralRange?.lowerBound ?? 32768
        guard ephemeralStart > 2048 else { return nil }
        return max(1024, ephemeralStart - 20_000)...(ephemeralStart - 1)
    }

    /// A port on `host` (an IPv4 address) that was free a moment ago.
    public static func allocate(host: String = "127.0.0.1") throws(Errno) -> UInt16 {
        if let range = quietRange {
            for _ in 0..<64 {
                // Reserved before the probe: another thread must neither probe a port being
                // handed out (its probe would hold it for a moment) nor get it too.
                let port = UInt16.random(in: range)
                guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
                let free: Bool
                do {
                    free = try probe(host: host, port: port) == port
                } catch {
                    handedOut.withLock { _ = $0.remove(port) }
                    throw error
                }
                if free { return port }
                handedOut.withLock { _ = $0.remove(port) }
            }
        }
        for _ in 0..<64 {
            guard let port = try probe(host: host, port: 0) else { continue }
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh { return port }
        }
        throw Errno(EADDRINUSE, "find a free TCP port on \(host)")
    }

    /// The kernel's ephemeral port range, from `/proc/sys/net/ipv4/ip_local_port_range`.
    static var ephemeralRange: ClosedRange<UInt16>? {
        let fd = open("/proc/sys/net/ipv4/ip_local_port_range", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let numbers = String(decoding: buffer[0..<count], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            .compactMap { UInt16($0) }
        guard numbers.count == 2, numbers[0] <= numbers[1] else { return nil }
        return numbers[0]...numbers[1]
    }

    /// Binds a socket to `host:port` (0: the kernel chooses) and returns the port it got,
    /// or nil when that port is in use. (With `_GNU_SOURCE`, glibc declares the sockaddr
    /// arguments as transparent unions, hence `__SOCKADDR_ARG(__sockaddr__:)`.)
    private static func probe(host: String, port: UInt16) throws(Errno) -> UInt16? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Errno.current("create a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw Errno(EINVAL, "parse the IPv4 address \"\(host)\"")
        }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, __CONST_SOCKADDR_ARG(__sockaddr__: $0), socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            if errno == EADDRINUSE || errno == EACCES { return nil }
            throw Errno.current("bind a socket to \(host):\(port)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, __SOCKADDR_ARG(__sockaddr__: $0), &length) }
        }
        guard named == 0 else { throw Errno.current("read the port bound on \(host)") }
        return UInt16(bigEndian: address.sin_port)
    }
}
