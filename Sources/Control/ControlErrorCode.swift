/// A stable, machine-readable error code of the control protocol (`"code": "unknown-group"`).
///
/// A struct rather than an enum so that a client can decode codes added by a newer daemon; the
/// known codes are the static members. Scripts match on these strings, so they never change.
public struct ControlErrorCode: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// The request is not valid JSON, misses a field, is too large or never arrived whole.
    public static let badRequest = ControlErrorCode(rawValue: "bad-request")
    /// `v` is not a protocol version this daemon speaks.
    public static let unsupportedVersion = ControlErrorCode(rawValue: "unsupported-version")
    /// `cmd` names no command.
    public static let unknownCommand = ControlErrorCode(rawValue: "unknown-command")
    /// The group is not in the configuration.
    public static let unknownGroup = ControlErrorCode(rawValue: "unknown-group")
    /// The instance is not part of the group.
    public static let unknownInstance = ControlErrorCode(rawValue: "unknown-instance")
    /// The peer is neither root nor a member of the control group.
    public static let permissionDenied = ControlErrorCode(rawValue: "permission-denied")
    /// `hold` on a group that is already held.
    public static let alreadyHeld = ControlErrorCode(rawValue: "already-held")
    /// `release` on a group that is not held.
    public static let notHeld = ControlErrorCode(rawValue: "not-held")
    /// The daemon declined: e.g. a switchover whose safety check failed, or a run in progress.
    public static let refused = ControlErrorCode(rawValue: "refused")
    /// Too many control connections at once; try again.
    public static let busy = ControlErrorCode(rawValue: "busy")
    /// A failure inside the daemon; the message says what.
    public static let `internal` = ControlErrorCode(rawValue: "internal")

    /// Every code this version knows, for documentation and tests.
    public static let known: [ControlErrorCode] = [
        .badRequest, .unsupportedVersion, .unknownCommand, .unknownGroup, .unknownInstance,
        .permissionDenied, .alreadyHeld, .notHeld, .refused, .busy, .internal,
    ]
}

/// A refusal or failure reported over the control protocol: a stable code and a full sentence.
public struct ControlError: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    public var code: ControlErrorCode
    public var message: String

    public init(_ code: ControlErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
