import Foundation

// The JSON shapes of etcd's gRPC gateway (`/v3/...`), as proto3 JSON:
// keys and values are base64, int64 fields are decimal strings, and fields at
// their default value (0, false, empty) are left out. Only the fields dmswitch
// uses are modelled.

/// An int64 that the gateway prints as a string ("42") but that is accepted
/// as a number too, and written as a string.
struct WireInt64: Codable, Sendable, Equatable {
    var value: Int64

    init(_ value: Int64) { self.value = value }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), let number = Int64(text) {
            value = number
        } else {
            value = try container.decode(Int64.self)
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}

extension Optional where Wrapped == WireInt64 {
    var int64: Int64 { self?.value ?? 0 }
}

enum WireBase64 {
    static func encode(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    static func encode(_ data: Data) -> String { data.base64EncodedString() }
    static func decode(_ text: String?) -> Data? {
        guard let text else { return Data() }
        return Data(base64Encoded: text)
    }
}

/// (`member_id` and `cluster_id` are uint64 and may not fit an Int64; they are not read.)
struct WireHeader: Decodable, Sendable {
    var revision: WireInt64?
}

struct WireKeyValue: Decodable, Sendable {
    var key: String?
    var value: String?
    var create_revision: WireInt64?
    var mod_revision: WireInt64?
    var version: WireInt64?
    var lease: WireInt64?
}

/// An error body: `{"error": "...", "message": "...", "code": 5}` for unary
/// calls; streaming calls wrap it as `{"error": {"grpc_code": 5, "message": "..."}}`.
struct WireError: Decodable, Sendable {
    var error: String?
    var message: String?
    var code: Int?
}

struct WireStreamError: Decodable, Sendable {
    var grpc_code: Int?
    var http_code: Int?
    var message: String?
}

struct WireRangeRequest: Encodable, Sendable {
    var key: String
    var range_end: String?
    var limit: WireInt64?
    var sort_order: String?
    var sort_target: String?
    var serializable: Bool?
    var keys_only: Bool?
    var revision: WireInt64?
}

struct WireRangeResponse: Decodable, Sendable {
    var header: WireHeader?
    var kvs: [WireKeyValue]?
    var count: WireInt64?
    var more: Bool?
}

struct WirePutRequest: Encodable, Sendable {
    var key: String
    var value: String
    var lease: WireInt64?
}

struct WirePutResponse: Decodable, Sendable {
    var header: WireHeader?
}

struct WireDeleteRangeRequest: Encodable, Sendable {
    var key: String
    var range_end: String?
}

struct WireDeleteRangeResponse: Decodable, Sendable {
    var header: WireHeader?
    var deleted: WireInt64?
}

struct WireCompare: Encodable, Sendable {
    var key: String
    var target: String
    var result: String
    var version: WireInt64?
    var create_revision: WireInt64?
    var mod_revision: WireInt64?
    var value: String?
    var lease: WireInt64?
}

struct WireRequestOp: Encodable, Sendable {
    var request_range: WireRangeRequest?
    var request_put: WirePutRequest?
    var request_delete_range: WireDeleteRangeRequest?
}

struct WireTxnRequest: Encodable, Sendable {
    var compare: [WireCompare]
    var success: [WireRequestOp]
    var failure: [WireRequestOp]
}

struct WireResponseOp: Decodable, Sendable {
    var response_range: WireRangeResponse?
    var response_put: WirePutResponse?
    var response_delete_range: WireDeleteRangeResponse?
}

struct WireTxnResponse: Decodable, Sendable {
    var header: WireHeader?
    var succeeded: Bool?
    var responses: [WireResponseOp]?
}

struct WireLeaseGrantRequest: Encodable, Sendable {
    var TTL: WireInt64
    var ID: WireInt64
}

struct WireLeaseGrantResponse: Decodable, Sendable {
    var header: WireHeader?
    var ID: WireInt64?
    var TTL: WireInt64?
    var error: String?
}

struct WireLeaseID: Encodable, Sendable {
    var ID: WireInt64
}

/// `/v3/lease/keepalive` is a gRPC stream; one request gives one `result`.
struct WireLeaseKeepAliveStream: Decodable, Sendable {
    struct Result: Decodable, Sendable {
        var header: WireHeader?
        var ID: WireInt64?
        var TTL: WireInt64?
    }
    var result: Result?
    var error: WireStreamError?
}

struct WireLeaseRevokeResponse: Decodable, Sendable {
    var header: WireHeader?
}

struct WireAuthenticateRequest: Encodable, Sendable {
    var name: String
    var password: String
}

struct WireAuthenticateResponse: Decodable, Sendable {
    var header: WireHeader?
    var token: String?
}

struct WireWatchRequest: Encodable, Sendable {
    struct Create: Encodable, Sendable {
        var key: String
        var range_end: String?
        var start_revision: WireInt64?
        var progress_notify: Bool
    }
    var create_request: Create
}

/// One line of the `/v3/watch` stream.
struct WireWatchStream: Decodable, Sendable {
    struct Event: Decodable, Sendable {
        var type: String?
        var kv: WireKeyValue?
    }
    struct Result: Decodable, Sendable {
        var header: WireHeader?
        var watch_id: WireInt64?
        var created: Bool?
        var canceled: Bool?
        var compact_revision: WireInt64?
        var cancel_reason: String?
        var events: [Event]?
    }
    var result: Result?
    var error: WireStreamError?
}

enum WireJSON {
    static func encode<T: Encodable>(_ value: T) -> Data {
        // Encoding these plain structs of strings, bools and optionals cannot fail.
        (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
    }
}
