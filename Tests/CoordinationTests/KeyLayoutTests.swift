import Foundation
import Testing
@testable import Coordination

@Suite("etcd key layout and names")
struct KeyLayoutTests {
    @Test("Keys follow the documented layout under the prefix")
    func layout() throws {
        let keys = try CoordinationKeys(prefix: "/dmswitch/")
        #expect(keys.prefix == "/dmswitch")
        #expect(try keys.owner("orders") == "/dmswitch/groups/orders/owner")
        #expect(try keys.journalEntry("orders", sequence: 42) == "/dmswitch/groups/orders/journal/00000000000000000042")
        #expect(try keys.cooldown("orders") == "/dmswitch/groups/orders/cooldown")
        #expect(try keys.hold(.group("orders")) == "/dmswitch/holds/orders")
        #expect(try keys.hold(.all) == "/dmswitch/holds/all")
        #expect(keys.holdScope(forKey: "/dmswitch/holds/all") == .all)
        #expect(keys.holdScope(forKey: "/dmswitch/holds/orders") == .group("orders"))
        #expect(keys.holdScope(forKey: "/dmswitch/groups/orders/owner") == nil)
    }

    @Test("Zero padding keeps key order equal to numeric order", arguments: [(UInt64(1), UInt64(2)), (9, 10), (99, 100), (123_456, 1_000_000)])
    func padding(pair: (UInt64, UInt64)) {
        let first = CoordinationKeys.padded(pair.0)
        let second = CoordinationKeys.padded(pair.1)
        #expect(first < second)
        #expect(CoordinationKeys.sequence(inJournalKey: "/p/" + second, prefix: "/p/") == pair.1)
    }

    @Test("Group names that would break the layout are refused with a reason", arguments: [
        ("", "it is empty"), ("a/b", "it contains \"/\""), ("..", "it is a path component"), ("a b", "it contains spaces or control characters"),
    ])
    func badGroups(name: String, reason: String) {
        #expect(throws: EtcdError.invalidName(what: "group name", name: name, reason: reason)) {
            try CoordinationKeys().owner(name)
        }
    }

    @Test("A group literally named \"all\" cannot have a hold of its own")
    func groupNamedAll() {
        #expect(throws: EtcdError.self) { try CoordinationKeys().hold(.group("all")) }
    }

    @Test("A prefix must start with a slash")
    func badPrefix() {
        #expect(throws: EtcdError.self) { try CoordinationKeys(prefix: "dmswitch") }
        #expect(throws: EtcdError.self) { try CoordinationKeys(prefix: "/") }
    }

    @Test("A prefix range ends one past the last byte of the prefix")
    func prefixRange() {
        #expect(EtcdKeyRange.prefix("/d/holds/").rangeEnd == "/d/holds0")
        #expect(EtcdKeyRange.key("/x").rangeEnd == nil)
    }
}

@Suite("etcd client configuration")
struct ConfigurationTests {
    @Test("A configuration without endpoints is refused")
    func noEndpoints() {
        #expect(throws: EtcdConfigurationError.noEndpoints) { try EtcdClient(EtcdClientConfiguration(endpoints: [])) }
    }

    @Test("Endpoints must be http or https URLs without a path", arguments: ["ftp://h:1", "h:2379", "http://h:2379/v3", "http://u:p@h:1"])
    func badEndpoints(endpoint: String) {
        #expect(throws: EtcdConfigurationError.self) { try EtcdClient(EtcdClientConfiguration(endpoints: [endpoint])) }
    }

    @Test("A trailing slash is dropped from endpoints")
    func normalized() throws {
        let client = try EtcdClient(EtcdClientConfiguration(endpoints: ["http://127.0.0.1:2379/"]))
        #expect(client.endpoints == ["http://127.0.0.1:2379"])
    }

    @Test("TLS settings need https endpoints, a complete client certificate and readable files")
    func tlsValidation() throws {
        let directory = NSTemporaryDirectory() + "/dmswitch-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ca = directory + "/ca.pem"
        try "x".write(toFile: ca, atomically: true, encoding: .utf8)
        let https = ["https://h:2379"]
        _ = try EtcdClient(EtcdClientConfiguration(endpoints: https, tls: .init(certificateAuthorityFile: ca)))
        #expect(throws: EtcdConfigurationError.tlsSettingsWithoutHTTPS(endpoint: "http://h:2379")) {
            try EtcdClient(EtcdClientConfiguration(endpoints: ["https://g:2379", "http://h:2379"], tls: .init(certificateAuthorityFile: ca)))
        }
        #expect(throws: EtcdConfigurationError.incompleteClientCertificate(certificate: ca, key: nil)) {
            try EtcdClient(EtcdClientConfiguration(endpoints: https, tls: .init(clientCertificateFile: ca)))
        }
        let missing = directory + "/none.pem"
        let error = #expect(throws: EtcdConfigurationError.self) {
            try EtcdClient(EtcdClientConfiguration(endpoints: https, tls: .init(certificateAuthorityFile: missing)))
        }
        #expect(error?.description == "The etcd CA file \"\(missing)\" cannot be read.")
    }
}

@Suite("etcd gateway JSON")
struct GatewayJSONTests {
    // Answers recorded from etcd 3.4's gateway.
    @Test("A transaction answer with a range in its failure branch is decoded")
    func txnFailure() throws {
        let body = Data(#"{"header":{"cluster_id":"3249","member_id":"3319","revision":"2","raft_term":"2"},"responses":[{"response_range":{"header":{"revision":"2"},"kvs":[{"key":"YQ==","create_revision":"2","mod_revision":"2","version":"1","value":"Yg==","lease":"7587"}],"count":"1"}}]}"#.utf8)
        let result = try EtcdCall.txn(EtcdTxn(compare: [], success: [])).decode(body, "e")
        #expect(result.succeeded == false)
        #expect(result.revision == 2)
        let kv = try #require(result.results.first?.rangeResult?.keyValues.first)
        #expect(kv == EtcdKeyValue(key: "a", value: Data("b".utf8), createRevision: 2, modRevision: 2, version: 1, lease: 7587))
    }

    @Test("A keepalive for an unknown lease reads as TTL 0")
    func keepaliveUnknown() throws {
        let body = Data(#"{"result":{"header":{"revision":"1"},"ID":"123"}}"#.utf8)
        #expect(try EtcdCall.keepAlive(lease: 123).decode(body, "e") == 0)
    }

    @Test("Both gateway error shapes are recognised", arguments: [
        (#"{"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5}"#, 5),
        (#"{"error":{"grpc_code":16,"http_code":401,"message":"etcdserver: invalid auth token","http_status":"Unauthorized"}}"#, 16),
    ])
    func errorShapes(body: String, code: Int) {
        #expect(EtcdTransport.errorBody(Data(body.utf8))?.code == code)
        #expect(EtcdTransport.errorBody(Data(#"{"header":{"revision":"1"}}"#.utf8)) == nil)
    }

    @Test("Owner records have stable bytes and parse back")
    func ownerRecord() throws {
        let record = OwnerRecord(owner: "db1/42/ab", host: "db1", pid: 42, since: "2025-01-01T00:00:00Z")
        #expect(String(decoding: record.json, as: UTF8.self) == #"{"host":"db1","owner":"db1\/42\/ab","pid":42,"since":"2025-01-01T00:00:00Z"}"#)
        #expect(OwnerRecord.parse(record.json) == record)
    }
}
