/// One request/response exchange over a Unix stream socket: connect, write the
/// request, read until the peer closes.
///
/// This is how HAProxy's runtime API (`stats socket … level admin`) is spoken
/// in non-interactive mode: one line of commands, the answers, then EOF.
/// Blocking: call it from a thread of its own.
public enum UnixSocketClient {
    /// Sends `request` to the socket at `path` and returns everything the peer
    /// wrote before closing, waiting at most `timeout` for each read.
    public static func exchange(path: String, request: String, timeout: Duration = .seconds(5)) throws(UnixSocketError) -> String {
        let address = try UnixSocketAddress(path)
        let socket = try UnixSocket.make(.stream)
        defer { socket.close() }
        try socket.connect(to: address)
        var pending = Array(request.utf8)[...]
        while !pending.isEmpty {
            let sent = try socket.send(pending)
            pending = pending.dropFirst(sent)
        }
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            guard socket.wait(forWriting: false, milliseconds: milliseconds) else {
                throw UnixSocketError(.receive, address: path, detail: "no answer within \(timeout)")
            }
            let count = try socket.receive(into: &buffer, maximum: buffer.count)
            if count == 0 { break }
            response.append(contentsOf: buffer[..<count])
        }
        return String(decoding: response, as: UTF8.self)
    }
}
