import Glibc

/// A plain TCP connect to tell "refused" from "no answer" and "no route".
///
/// MariaDB Connector/C reports every failed TCP connect as error 2002 and puts
/// the wrong errno in its message (`EINPROGRESS` from the non-blocking connect),
/// so after a failed connect the connection repeats just the TCP part itself and
/// reads the real errno. It runs only on a failure, on the probe's own thread.
enum TCPConnectCheck {
    enum Outcome: Equatable {
        /// Something accepted the TCP connection (the failure was above TCP).
        case accepted
        /// ECONNREFUSED: nothing listens on the port.
        case refused
        /// No answer within the timeout.
        case timedOut
        /// EHOSTUNREACH, ENETUNREACH, or the name did not resolve.
        case unreachable(Int32)
        /// Any other errno.
        case failed(Int32)
    }

    static func check(host: String, port: UInt16, timeout: Duration) -> Outcome {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            return .unreachable(EHOSTUNREACH)
        }
        defer { freeaddrinfo(list) }
        var outcome = Outcome.unreachable(EHOSTUNREACH)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            outcome = attempt(address.pointee, timeout: timeout)
            if outcome == .accepted || outcome == .refused { return outcome }
            entry = address.pointee.ai_next
        }
        return outcome
    }

    private static func attempt(_ address: addrinfo, timeout: Duration) -> Outcome {
        let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
        guard fd >= 0 else { return .failed(errno) }
        defer { close(fd) }
        if connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return .accepted }
        let startErrno = errno
        guard startErrno == EINPROGRESS || startErrno == EINTR else { return classify(startErrno) }
        var pollDescriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        var ready: Int32
        repeat {
            ready = poll(&pollDescriptor, 1, milliseconds)
        } while ready == -1 && errno == EINTR
        if ready == 0 { return .timedOut }
        if ready < 0 { return .failed(errno) }
        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length) == 0 else { return .failed(errno) }
        return socketError == 0 ? .accepted : classify(socketError)
    }

    private static func classify(_ code: Int32) -> Outcome {
        switch code {
        case ECONNREFUSED: .refused
        case ETIMEDOUT: .timedOut
        case EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL: .unreachable(code)
        default: .failed(code)
        }
    }
}
