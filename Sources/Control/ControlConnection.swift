import Foundation
import Posix

/// One control connection: read one request line, check the peer, answer, done.
struct ControlConnection: Sendable {
    let socket: UnixSocket
    let configuration: ControlServerConfiguration
    let authorization: ControlAuthorization
    let handler: ControlHandler
    let report: @Sendable (ControlServerEvent) -> Void

    /// The outcome of reading the request.
    enum Reading: Equatable {
        case line([UInt8])
        case tooLarge
        case timedOut
        case closedEarly
        case failed(UnixSocketError)
    }

    func serve() {
        let peer: ControlPeer
        do {
            peer = ControlPeer(try socket.peerCredentials())
        } catch {
            report(.failed(error))
            return
        }
        let line: [UInt8]
        switch readRequest() {
        case .line(let bytes):
            line = bytes
        case .tooLarge:
            let reason = "The request is larger than \(configuration.maximumRequestBytes) bytes."
            respond(.failure(ControlError(.badRequest, reason)), id: nil)
            report(.rejected(peer, reason: reason))
            return
        case .timedOut:
            let reason = "No complete request arrived within \(Self.seconds(configuration.ioTimeout))."
            respond(.failure(ControlError(.badRequest, reason)), id: nil)
            report(.rejected(peer, reason: reason))
            return
        case .closedEarly:
            return
        case .failed(let error):
            report(.failed(error))
            return
        }
        let id = ControlRequest.bestEffortID(of: line)
        // Authorise before parsing: an unauthorised peer learns nothing but "permission denied".
        guard authorization.allows(peer) else {
            respond(.failure(authorization.refusal(for: peer)), id: id)
            report(.denied(peer, command: Self.commandName(in: line)))
            return
        }
        let request: ControlRequest
        do {
            request = try ControlRequest.parse(line)
        } catch {
            respond(.failure(error), id: id)
            report(.rejected(peer, reason: error.message))
            return
        }
        var reply = handler(request, peer)
        if case .success(let result) = reply, !result.answers(request.command.name) {
            reply = .failure(ControlError(
                .internal, "dmswitchd produced the wrong kind of result for \(request.command.name.rawValue)."))
        }
        respond(reply, id: request.id)
        if case .failure(let error) = reply {
            report(.served(peer, request.command.name, id: request.id, error: error.code))
        } else {
            report(.served(peer, request.command.name, id: request.id, error: nil))
        }
    }

    /// Reads until a newline, the size limit, the deadline or end of stream. A final line without
    /// a newline at end of stream counts (a client that shut down its writing side).
    func readRequest() -> Reading {
        let limit = configuration.maximumRequestBytes
        let deadline = ContinuousClock.now + configuration.ioTimeout
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            guard let remaining = Self.milliseconds(until: deadline), socket.wait(forWriting: false, milliseconds: remaining)
            else { return .timedOut }
            let count: Int
            do {
                count = try socket.receive(into: &chunk, maximum: limit + 1 - buffer.count, flags: Int32(MSG_DONTWAIT))
            } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                continue
            } catch {
                return .failed(error)
            }
            if count == 0 {
                return buffer.isEmpty ? .closedEarly : .line(buffer)
            }
            let received = chunk[..<count]
            if let newline = received.firstIndex(of: UInt8(ascii: "\n")) {
                buffer.append(contentsOf: received[..<newline])
                return buffer.count > limit ? .tooLarge : .line(buffer)
            }
            buffer.append(contentsOf: received)
            if buffer.count > limit { return .tooLarge }
        }
    }

    /// Writes the response within the I/O timeout; a client that stopped reading is given up on.
    func respond(_ reply: ControlReply, id: String?) {
        let bytes = ControlResponse(reply, id: id).encodedLine()
        let deadline = ContinuousClock.now + configuration.ioTimeout
        var offset = 0
        while offset < bytes.count {
            guard let remaining = Self.milliseconds(until: deadline), socket.wait(forWriting: true, milliseconds: remaining)
            else { return }
            do {
                offset += try socket.send(bytes[offset...], flags: Int32(MSG_DONTWAIT))
            } catch where error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                continue
            } catch {
                // EPIPE/ECONNRESET: the client left; nothing to tell it.
                return
            }
        }
    }

    /// The `cmd` of an unparsed request line, for logging a refusal.
    static func commandName(in line: [UInt8]) -> String? {
        struct Command: Decodable { var cmd: String? }
        guard let text = (try? JSONDecoder().decode(Command.self, from: Data(line)))?.cmd else { return nil }
        return String(text.prefix(64))
    }

    /// Milliseconds left until `deadline` (at least 1), or nil when it has passed.
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32? {
        let left = deadline - ContinuousClock.now
        guard left > .zero else { return nil }
        let ms = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(1, ms))
    }

    static func seconds(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
