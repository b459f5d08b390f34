import Glibc

/// The address of an AF_UNIX socket: a file system path, or a Linux abstract name written `@name`.
///
/// systemd hands out both forms (`NOTIFY_SOCKET=/run/systemd/notify` or `@…`), and the length rules
/// differ: a path is passed with its trailing NUL, an abstract name with its exact length and no NUL.
/// Padding an abstract address to `sizeof(sockaddr_un)` names a different socket (ECONNREFUSED), so
/// the length is computed here once instead of at every call site.
public struct UnixSocketAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address as written: `/run/dmswitch/control.sock` or `@dmswitch-notify`.
    public let description: String
    /// The bytes that go into `sun_path` (an abstract name starts with a NUL byte).
    private let pathBytes: [UInt8]

    /// The capacity of `sun_path` on Linux, trailing NUL included.
    public static let maximumPathBytes = 108

    /// Parses an address; a leading `@` selects the abstract namespace.
    public init(_ text: String) throws(UnixSocketError) {
        var bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count > (first == UInt8(ascii: "@") ? 1 : 0) else {
            throw UnixSocketError(.address, address: text, detail: "the address is empty")
        }
        guard !bytes.contains(0) else {
            throw UnixSocketError(.address, address: text, detail: "the address contains a NUL byte")
        }
        let abstract = first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        let needed = bytes.count + (abstract ? 0 : 1)
        guard needed <= Self.maximumPathBytes else {
            throw UnixSocketError(
                .address, address: text,
                detail: "the address is \(bytes.count) bytes long, more than a Unix socket address can hold (\(Self.maximumPathBytes - 1))")
        }
        self.description = text
        self.pathBytes = bytes
    }

    /// True for a Linux abstract-namespace address (`@name`).
    public var isAbstract: Bool { pathBytes.first == 0 }

    /// The file system path, or nil for an abstract address.
    public var path: String? { isAbstract ? nil : description }

    /// Calls `body` with the address as a `sockaddr` and its exact length.
    public func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { $0.copyBytes(from: pathBytes) }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        let length = socklen_t(pathOffset + pathBytes.count + (isAbstract ? 0 : 1))
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
