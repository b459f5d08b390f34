import Foundation

/// One control request: `{"v":1,"cmd":"hold","args":{"group":"orders","reason":"…","seconds":600},"id":"…"}`.
public struct ControlRequest: Hashable, Sendable {
    /// The protocol version the client speaks.
    public var version: Int
    public var command: ControlCommand
    /// An identifier chosen by the client, echoed in the response and in the daemon's log.
    public var id: String?

    /// The longest hold, limit of a history listing, and text field the daemon accepts.
    public static let maximumHoldSeconds = 366 * 24 * 3600
    public static let maximumHistoryLimit = 10_000
    public static let maximumTextLength = 1024

    public init(_ command: ControlCommand, id: String? = nil, version: Int = ControlProtocol.version) {
        self.version = version
        self.command = command
        self.id = id
    }

    /// The request as one JSON line, newline included.
    public func encodedLine() -> [UInt8] {
        let wire = Wire(v: version, cmd: command.name.rawValue, args: Arguments(command), id: id)
        // Encoding plain strings and integers cannot fail; an empty object is the safe fallback.
        let data = (try? ControlCoding.encoder().encode(wire)) ?? Data("{}".utf8)
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// Parses one request line. Each failure maps to the error code a client can act on:
    /// not JSON or a bad field → `bad-request`, another `v` → `unsupported-version`, an unknown
    /// `cmd` → `unknown-command`.
    public static func parse(_ line: [UInt8]) throws(ControlError) -> ControlRequest {
        let decoder = ControlCoding.decoder()
        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: Data(line))
        } catch {
            throw ControlError(.badRequest, "The request could not be read: \(ControlCoding.explain(error)).")
        }
        guard let version = envelope.v else {
            throw ControlError(.badRequest, "The request lacks the protocol version \"v\".")
        }
        guard version == ControlProtocol.version else {
            throw ControlError(
                .unsupportedVersion,
                "The request uses protocol version \(version); this daemon speaks version \(ControlProtocol.version).")
        }
        guard let commandText = envelope.cmd else {
            throw ControlError(.badRequest, "The request lacks the command \"cmd\".")
        }
        guard let name = ControlCommandName(rawValue: commandText) else {
            let known = ControlCommandName.allCases.map(\.rawValue).joined(separator: ", ")
            throw ControlError(.unknownCommand, "The command \"\(commandText.prefix(64))\" is unknown; known commands: \(known).")
        }
        let arguments: Arguments
        do {
            arguments = try decoder.decode(ArgumentsEnvelope.self, from: Data(line)).args ?? Arguments()
        } catch {
            throw ControlError(.badRequest, "The \(name.rawValue) request could not be read: \(ControlCoding.explain(error)).")
        }
        return ControlRequest(try arguments.command(name), id: envelope.id, version: version)
    }

    /// The `id` of a request line, if one can be read; used to label error responses.
    public static func bestEffortID(of line: [UInt8]) -> String? {
        (try? ControlCoding.decoder().decode(Envelope.self, from: Data(line)))?.id
    }

    // MARK: Wire shapes

    private struct Wire: Encodable {
        var v: Int
        var cmd: String
        var args: Arguments
        var id: String?
    }

    /// Read leniently first, so that version and command errors are reported before argument errors.
    private struct Envelope: Decodable {
        var v: Int?
        var cmd: String?
        var id: String?
    }

    private struct ArgumentsEnvelope: Decodable {
        var args: Arguments?
    }

    /// The union of all commands' arguments; which are required depends on the command.
    struct Arguments: Codable, Hashable {
        var group: String?
        var all: Bool?
        var reason: String?
        var seconds: Int?
        var to: String?
        var limit: Int?

        init() {}

        init(_ command: ControlCommand) {
            switch command {
            case .status(let group):
                self.group = group
            case .hold(let target, let reason, let duration):
                setTarget(target)
                self.reason = reason
                self.seconds = duration.map { Int($0.components.seconds) }
            case .release(let target):
                setTarget(target)
            case .acknowledge(let group), .check(let group):
                self.group = group
            case .switchover(let group, let instance):
                self.group = group
                self.to = instance
            case .history(let group, let limit):
                self.group = group
                self.limit = limit
            case .reload:
                break
            }
        }

        private mutating func setTarget(_ target: HoldTarget) {
            switch target {
            case .group(let name): group = name
            case .all: all = true
            }
        }

        func command(_ name: ControlCommandName) throws(ControlError) -> ControlCommand {
            switch name {
            case .status:
                return .status(group: try optionalName("group", group))
            case .hold:
                let target = try holdTarget(name)
                guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
                    throw ControlError(.badRequest, "A hold needs a reason (\"args.reason\"), so others know why the group is held.")
                }
                guard reason.count <= ControlRequest.maximumTextLength else {
                    throw ControlError(.badRequest, "The hold reason is longer than \(ControlRequest.maximumTextLength) characters.")
                }
                var duration: Duration?
                if let seconds {
                    guard (1...ControlRequest.maximumHoldSeconds).contains(seconds) else {
                        throw ControlError(
                            .badRequest,
                            "The hold duration \"args.seconds\" must be between 1 and \(ControlRequest.maximumHoldSeconds) seconds, not \(seconds).")
                    }
                    duration = .seconds(seconds)
                }
                return .hold(target, reason: reason, duration: duration)
            case .release:
                return .release(try holdTarget(name))
            case .ack:
                return .acknowledge(group: try requiredName("group", group, for: name))
            case .check:
                return .check(group: try requiredName("group", group, for: name))
            case .switchover:
                return .switchover(
                    group: try requiredName("group", group, for: name), to: try requiredName("to", to, for: name))
            case .history:
                if let limit, !(1...ControlRequest.maximumHistoryLimit).contains(limit) {
                    throw ControlError(
                        .badRequest, "The history limit \"args.limit\" must be between 1 and \(ControlRequest.maximumHistoryLimit), not \(limit).")
                }
                return .history(group: try optionalName("group", group), limit: limit)
            case .reload:
                return .reload
            }
        }

        private func holdTarget(_ name: ControlCommandName) throws(ControlError) -> HoldTarget {
            switch (try optionalName("group", group), all ?? false) {
            case (let group?, false): return .group(group)
            case (nil, true): return .all
            case (_?, true):
                throw ControlError(.badRequest, "A \(name.rawValue) request names either a group or \"all\", not both.")
            case (nil, false):
                throw ControlError(.badRequest, "A \(name.rawValue) request needs a group (\"args.group\") or \"args.all\": true.")
            }
        }

        private func requiredName(_ key: String, _ value: String?, for name: ControlCommandName) throws(ControlError) -> String {
            guard let value = try optionalName(key, value) else {
                throw ControlError(.badRequest, "A \(name.rawValue) request needs \"args.\(key)\".")
            }
            return value
        }

        private func optionalName(_ key: String, _ value: String?) throws(ControlError) -> String? {
            guard let value else { return nil }
            guard !value.isEmpty, value.count <= ControlRequest.maximumTextLength,
                !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else {
                throw ControlError(.badRequest, "\"args.\(key)\" must be a non-empty name without control characters.")
            }
            return value
        }
    }
}
