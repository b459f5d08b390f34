import Foundation
import Testing
@testable import Upstream

@Suite("Error classification and credentials")
struct ErrorClassificationTests {
    @Test("MHA's alive errors, auth errors and transport errors get their kinds", arguments: [
        (UInt32(1040), MySQLError.Kind.aliveError), (1129, .aliveError), (1203, .aliveError), (1226, .aliveError),
        (1045, .authFailure), (1130, .authFailure), (1227, .privilege), (2013, .connectionLost),
        (2006, .connectionLost), (2026, .tls), (1064, .server), (2005, .unreachable), (2008, .client),
    ])
    func kinds(errno: UInt32, kind: MySQLError.Kind) {
        #expect(ErrorClassification.kind(errno: errno) == kind)
    }

    @Test("Only transport failures count as down evidence; auth and alive errors prove the server alive")
    func evidence() {
        for kind in MySQLError.Kind.allCases {
            #expect(!(kind.isDownEvidence && kind.isAliveEvidence), "\(kind) cannot be both")
        }
        #expect(ProbeFailure(MySQLError(errno: 1040, sqlstate: "08004", message: "Too many connections", operation: "connect", kind: .aliveError)).isAliveEvidence)
        #expect(ProbeFailure(MySQLError(errno: 1045, sqlstate: "28000", message: "Access denied", operation: "connect", kind: .authFailure)).kind == .authFailure)
        #expect(ProbeFailureKind.refused.isDownEvidence && ProbeFailureKind.timedOut.isDownEvidence)
        #expect(!ProbeFailureKind.aliveError.isDownEvidence && !ProbeFailureKind.authFailure.isDownEvidence)
    }

    @Test("An error describes itself in one sentence with number, SQLSTATE and kind")
    func description() {
        let error = MySQLError(errno: 1045, sqlstate: "28000", message: "Access denied for user 'mon'@'127.0.0.1' (using password: YES)",
                               operation: "connect to 127.0.0.1:3306 as mon", kind: .authFailure)
        #expect(error.description == "Could not connect to 127.0.0.1:3306 as mon: Access denied for user 'mon'@'127.0.0.1' (using password: YES) (error 1045, SQLSTATE 28000, authentication failed).")
    }

    @Test("A password file's trailing line break is stripped, inner text kept")
    func passwordFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dmswitch-credentials-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("password").path
        for (content, expected) in [("s3cret\n", "s3cret"), ("s3cret\r\n", "s3cret"), ("with space \n\n", "with space "), ("plain", "plain")] {
            try content.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try MySQLCredentials(user: "mon", passwordFile: path).password == expected)
        }
        try "two\nlines\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CredentialsError.self) { try MySQLCredentials(user: "mon", passwordFile: path) }
        #expect {
            try MySQLCredentials(user: "mon", passwordFile: directory.appendingPathComponent("missing").path)
        } throws: { error in
            (error as? CredentialsError)?.description.hasPrefix("Could not read the password file") == true
        }
    }

    @Test("Timeouts round up to the library's whole seconds", arguments: [
        (Duration.milliseconds(300), UInt32(1)), (.seconds(2), 2), (.milliseconds(2500), 3), (.zero, 1),
    ])
    func timeouts(duration: Duration, seconds: UInt32) {
        #expect(ConnectionTimeouts.wholeSeconds(duration) == seconds)
    }

    @Test("Instance addresses parse host:port and reject junk", arguments: [
        ("127.0.0.1:3306", "127.0.0.1:3306"), ("[::1]:3307", "[::1]:3307"), ("db:0", nil), ("db", nil), (":3306", nil),
    ])
    func addresses(text: String, expected: String?) {
        #expect(InstanceAddress(text)?.description == expected)
    }
}
