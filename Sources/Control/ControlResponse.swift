import Foundation

/// The payload of a successful response; which case depends on the command.
public enum ControlResult: Hashable, Sendable {
    case status(StatusReport)
    case check(CheckReport)
    case history(History)
    /// hold, release, ack, switchover, reload.
    case done(Acknowledgement)

    /// Whether this payload is the one `command` is answered with.
    public func answers(_ command: ControlCommandName) -> Bool {
        switch (self, command) {
        case (.status, .status), (.check, .check), (.history, .history): true
        case (.done, .hold), (.done, .release), (.done, .ack), (.done, .switchover), (.done, .reload): true
        default: false
        }
    }
}

/// What the daemon's handler returns for one request.
public typealias ControlReply = Result<ControlResult, ControlError>

/// One response line: `{"v":1,"ok":true,"result":{…}}` or `{"v":1,"ok":false,"error":{"code":…,"message":…}}`.
public struct ControlResponse: Hashable, Sendable {
    public var version: Int
    /// The request's id, echoed.
    public var id: String?
    public var reply: ControlReply

    public init(_ reply: ControlReply, id: String? = nil, version: Int = ControlProtocol.version) {
        self.version = version
        self.id = id
        self.reply = reply
    }

    /// The response as one JSON line, newline included.
    public func encodedLine() -> [UInt8] {
        let encoder = ControlCoding.encoder()
        let data: Data?
        switch reply {
        case .success(let result):
            switch result {
            case .status(let report): data = try? encoder.encode(Success(v: version, id: id, result: report))
            case .check(let report): data = try? encoder.encode(Success(v: version, id: id, result: report))
            case .history(let history): data = try? encoder.encode(Success(v: version, id: id, result: history))
            case .done(let acknowledgement): data = try? encoder.encode(Success(v: version, id: id, result: acknowledgement))
            }
        case .failure(let error):
            data = try? encoder.encode(Failure(v: version, id: id, error: error))
        }
        // The payloads hold only strings, numbers and dates; encoding them cannot fail in practice,
        // and if it ever did the client still gets a well-formed answer.
        let fallback = #"{"error":{"code":"internal","message":"The response could not be encoded."},"ok":false,"v":1}"#
        return Array(data ?? Data(fallback.utf8)) + [UInt8(ascii: "\n")]
    }

    /// Decodes a response to a `command` request.
    public static func decode(_ line: [UInt8], for command: ControlCommandName) throws(ControlProtocolError) -> ControlResponse {
        let decoder = ControlCoding.decoder()
        let data = Data(line)
        do {
            let head = try decoder.decode(Head.self, from: data)
            guard head.ok else {
                return ControlResponse(.failure(try decoder.decode(Failure.self, from: data).error), id: head.id, version: head.v)
            }
            let result: ControlResult
            switch command {
            case .status: result = .status(try decoder.decode(Success<StatusReport>.self, from: data).result)
            case .check: result = .check(try decoder.decode(Success<CheckReport>.self, from: data).result)
            case .history: result = .history(try decoder.decode(Success<History>.self, from: data).result)
            case .hold, .release, .ack, .switchover, .reload:
                result = .done(try decoder.decode(Success<Acknowledgement>.self, from: data).result)
            }
            return ControlResponse(.success(result), id: head.id, version: head.v)
        } catch {
            throw ControlProtocolError(
                "The daemon's response to \(command.rawValue) could not be read: \(ControlCoding.explain(error)).")
        }
    }

    private struct Head: Decodable {
        var v: Int
        var ok: Bool
        var id: String?
    }

    private struct Success<Payload: Codable>: Codable {
        var v: Int
        var id: String?
        var ok = true
        var result: Payload
    }

    private struct Failure: Codable {
        var v: Int
        var id: String?
        var ok = false
        var error: ControlError
    }
}

/// A response that does not follow the protocol (a different program on the socket, a newer daemon).
public struct ControlProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
