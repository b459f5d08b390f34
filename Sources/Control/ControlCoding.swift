import Foundation

/// The JSON settings both ends use: ISO 8601 dates, sorted keys (stable output for `--json` and
/// golden tests), slashes unescaped (socket paths stay readable).
enum ControlCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// A one-line explanation of a decoding failure that names the field, for `bad-request`.
    static func explain(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "it is not valid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "the request" : "\"" + keys.joined(separator: ".") + "\""
        }
        switch decodingError {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "the request" : path(context)
            return "\(parent) lacks the field \"\(key.stringValue)\""
        case .typeMismatch(let type, let context):
            return "\(path(context)) is not of type \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context)) is null where a \(type) is needed"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not valid JSON" : "\(path(context)) is invalid"
        @unknown default:
            return "it could not be decoded"
        }
    }
}
