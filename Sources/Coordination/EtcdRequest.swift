import Foundation

/// One gateway call: where to post, the JSON body, and how to read the answer.
///
/// Requests are values so that one transport serves the blocking, the
/// callback and the async API alike (`EtcdClient.send`). Build them with `EtcdCall`.
public struct EtcdRequest<Response: Sendable>: Sendable {
    let path: String
    let body: Data
    /// What is being done, as a phrase for errors: `range "/dmswitch/holds/"`.
    let operation: String
    let decode: @Sendable (_ body: Data, _ endpoint: String) throws(EtcdError) -> Response
    /// False only for `/v3/auth/authenticate` itself.
    var authenticated = true
    /// Overrides the configured request timeout (the health check uses a short one).
    var timeout: Duration?

    /// The same request with its own per-attempt timeout.
    public func withTimeout(_ timeout: Duration) -> EtcdRequest {
        var copy = self
        copy.timeout = timeout
        return copy
    }
}

/// The gateway calls dmswitch needs, as `EtcdRequest` values.
public enum EtcdCall {
    public static func range(_ query: EtcdRangeQuery) -> EtcdRequest<EtcdRangeResult> {
        let operation = "range \"\(query.range.key)\""
        return EtcdRequest(path: "/v3/kv/range", body: WireJSON.encode(query.wire), operation: operation) { body, endpoint throws(EtcdError) in
            try EtcdRangeResult(decodeJSON(WireRangeResponse.self, body, operation, endpoint), operation: operation, endpoint: endpoint)
        }
    }

    /// Returns the store revision of the put.
    public static func put(key: String, value: Data, lease: Int64 = 0) -> EtcdRequest<Int64> {
        let operation = "put \"\(key)\""
        let wire = WirePutRequest(key: WireBase64.encode(key), value: WireBase64.encode(value), lease: lease != 0 ? WireInt64(lease) : nil)
        return EtcdRequest(path: "/v3/kv/put", body: WireJSON.encode(wire), operation: operation) { body, endpoint throws(EtcdError) in
            try decodeJSON(WirePutResponse.self, body, operation, endpoint).header?.revision.int64 ?? 0
        }
    }

    /// Returns how many keys were deleted.
    public static func deleteRange(_ range: EtcdKeyRange) -> EtcdRequest<Int64> {
        let operation = "delete \"\(range.key)\""
        let wire = WireDeleteRangeRequest(key: range.wireKey, range_end: range.wireRangeEnd)
        return EtcdRequest(path: "/v3/kv/deleterange", body: WireJSON.encode(wire), operation: operation) { body, endpoint throws(EtcdError) in
            try decodeJSON(WireDeleteRangeResponse.self, body, operation, endpoint).deleted.int64
        }
    }

    public static func txn(_ txn: EtcdTxn) -> EtcdRequest<EtcdTxnResult> {
        let operation = "run a transaction on \"\(txn.compare.first?.key ?? txn.success.first.map(describe) ?? "?")\""
        return EtcdRequest(path: "/v3/kv/txn", body: WireJSON.encode(txn.wire), operation: operation) { body, endpoint throws(EtcdError) in
            let wire = try decodeJSON(WireTxnResponse.self, body, operation, endpoint)
            var results: [EtcdOperationResult] = []
            for response in wire.responses ?? [] {
                if let range = response.response_range {
                    results.append(.range(try EtcdRangeResult(range, operation: operation, endpoint: endpoint)))
                } else if let put = response.response_put {
                    results.append(.put(revision: put.header?.revision.int64 ?? 0))
                } else if let delete = response.response_delete_range {
                    results.append(.deleteRange(deleted: delete.deleted.int64))
                } else {
                    throw .malformedResponse(operation: operation, endpoint: endpoint, detail: "a transaction response has no known operation")
                }
            }
            return EtcdTxnResult(succeeded: wire.succeeded ?? false, results: results, revision: wire.header?.revision.int64 ?? 0)
        }
    }

    public static func grantLease(ttlSeconds: Int64) -> EtcdRequest<EtcdLease> {
        let operation = "grant a lease of \(ttlSeconds) s"
        let wire = WireLeaseGrantRequest(TTL: WireInt64(ttlSeconds), ID: WireInt64(0))
        return EtcdRequest(path: "/v3/lease/grant", body: WireJSON.encode(wire), operation: operation) { body, endpoint throws(EtcdError) in
            let response = try decodeJSON(WireLeaseGrantResponse.self, body, operation, endpoint)
            if let error = response.error, !error.isEmpty {
                throw .server(operation: operation, endpoint: endpoint, code: 0, message: error)
            }
            guard let id = response.ID?.value, id != 0 else {
                throw .malformedResponse(operation: operation, endpoint: endpoint, detail: "the answer has no lease id")
            }
            return EtcdLease(id: id, ttlSeconds: response.TTL.int64)
        }
    }

    /// One keepalive round; returns the remaining TTL in seconds, 0 when
    /// etcd no longer knows the lease (it expired or was revoked).
    public static func keepAlive(lease: Int64) -> EtcdRequest<Int64> {
        let operation = "keep lease \(hex(lease)) alive"
        return EtcdRequest(path: "/v3/lease/keepalive", body: WireJSON.encode(WireLeaseID(ID: WireInt64(lease))), operation: operation) { body, endpoint throws(EtcdError) in
            // The gateway streams; a single request yields a single line.
            let firstLine = body.split(separator: UInt8(ascii: "\n")).first.map { Data($0) } ?? body
            let response = try decodeJSON(WireLeaseKeepAliveStream.self, firstLine, operation, endpoint)
            guard let result = response.result else {
                throw .malformedResponse(operation: operation, endpoint: endpoint, detail: "the keepalive stream gave no result")
            }
            return result.TTL.int64
        }
    }

    /// Revokes a lease, deleting every key attached to it. A lease that is
    /// already gone counts as revoked.
    public static func revokeLease(_ lease: Int64) -> EtcdRequest<Void> {
        let operation = "revoke lease \(hex(lease))"
        return EtcdRequest(path: "/v3/lease/revoke", body: WireJSON.encode(WireLeaseID(ID: WireInt64(lease))), operation: operation) { body, endpoint throws(EtcdError) in
            _ = try decodeJSON(WireLeaseRevokeResponse.self, body, operation, endpoint)
        }
    }

    static func authenticate(_ credentials: EtcdCredentials) -> EtcdRequest<String> {
        let operation = "authenticate as \"\(credentials.user)\""
        let wire = WireAuthenticateRequest(name: credentials.user, password: credentials.password)
        var request = EtcdRequest<String>(path: "/v3/auth/authenticate", body: WireJSON.encode(wire), operation: operation) { body, endpoint throws(EtcdError) in
            guard let token = try decodeJSON(WireAuthenticateResponse.self, body, operation, endpoint).token, !token.isEmpty else {
                throw .malformedResponse(operation: operation, endpoint: endpoint, detail: "the answer has no token")
            }
            return token
        }
        request.authenticated = false
        return request
    }

    /// Lease ids are printed in hex, as etcdctl does.
    static func hex(_ lease: Int64) -> String { String(UInt64(bitPattern: lease), radix: 16) }

    private static func describe(_ operation: EtcdOperation) -> String {
        switch operation {
        case .put(let key, _, _): key
        case .range(let query): query.range.key
        case .deleteRange(let range): range.key
        }
    }
}

func decodeJSON<T: Decodable>(_ type: T.Type, _ body: Data, _ operation: String, _ endpoint: String) throws(EtcdError) -> T {
    do {
        return try JSONDecoder().decode(type, from: body)
    } catch {
        let excerpt = String(decoding: body.prefix(200), as: UTF8.self)
        throw .malformedResponse(operation: operation, endpoint: endpoint, detail: "\(error) in \"\(excerpt)\"")
    }
}
