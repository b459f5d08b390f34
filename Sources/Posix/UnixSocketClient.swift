import Glibc

/// One request/response exchange over a Unix stream socket: connect, write the
/// request, read until the peer closes.
///
/// This is how HAProxy's runtime API (`stats socket … level admin`) is spoken
/// in non-interactive mode: one line of commands, the answers, then EOF.
/// Blocking: call it from a thread of its own.
public enum UnixSocketClient {
    /// Sends `request` to the socket at `path` and returns everything the peer
    /// wrote before closing, waiting at most `timeout` for each read.
    public static func exchange(path: String, request: String, timeout: Duration = .seconds(5)) throws(Errno) -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Errno.current("create a Unix socket") }
        defer { close(fd) }
        var timeval = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeval, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { throw Errno(ENAMETOOLONG, "connect to the Unix socket \"\(path)\"") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                retryingOnInterrupt {
                    connect(fd, __CONST_SOCKADDR_ARG(__sockaddr__: socketAddress), socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        guard connected == 0 else { throw Errno.current("connect to the Unix socket \"\(path)\"") }
        try writeAll(fd, Array(request.utf8), describing: "the Unix socket \"\(path)\"")

        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                retryingOnInterrupt { read(fd, raw.baseAddress, raw.count) }
            }
            if count == 0 { break }
            if count < 0 { throw Errno.current("read from the Unix socket \"\(path)\"") }
            response.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: response, as: UTF8.self)
    }
}
