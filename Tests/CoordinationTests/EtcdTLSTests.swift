import Foundation
import Testing
import Coordination
import Posix
import Sandbox

extension EtcdIntegration {
    /// TLS against a real etcd member whose client port requires client certificates.
    @Suite("etcd over TLS with client certificates")
    struct EtcdTLSTests {
        @Test("With the CA and a client certificate the client works; without them the TLS failure is named")
        func clientCertificates() throws {
            let certificates = try TestCertificates.make()
            defer { try? FileManager.default.removeItem(atPath: certificates.directory) }
            let tls = EtcdCluster.ClientTLS(
                certificateFile: certificates.file("server.pem"), keyFile: certificates.file("server.key"),
                authorityFile: certificates.file("ca.pem"),
                etcdctlCertificateFile: certificates.file("client.pem"), etcdctlKeyFile: certificates.file("client.key"))
            let cluster = try EtcdCluster.start(members: 1, clientTLS: tls)
            defer { cluster.tearDown() }

            let settings = EtcdTLSSettings(certificateAuthorityFile: certificates.file("ca.pem"),
                                           clientCertificateFile: certificates.file("client.pem"), clientKeyFile: certificates.file("client.key"))
            let client = try EtcdClient(EtcdClientConfiguration(endpoints: cluster.clientURLs, requestTimeout: .seconds(2), tls: settings))
            try client.put("/test/tls", value: Data("secure".utf8))
            #expect(try client.get("/test/tls")?.text == "secure")

            // The system trust store does not know the test CA: server verification refuses it.
            let untrusting = try EtcdClient(EtcdClientConfiguration(endpoints: cluster.clientURLs, requestTimeout: .seconds(2)))
            let error = #expect(throws: EtcdError.self) { try untrusting.get("/test/tls") }
            guard case .unreachable(_, let failures) = error else {
                Issue.record("expected .unreachable, got \(String(describing: error))")
                return
            }
            #expect(failures.map(\.kind) == [.tls], "\(failures)")

            // Trusting the server but presenting no client certificate: etcd refuses the handshake.
            let anonymous = try EtcdClient(EtcdClientConfiguration(
                endpoints: cluster.clientURLs, requestTimeout: .seconds(2),
                tls: EtcdTLSSettings(certificateAuthorityFile: certificates.file("ca.pem"))))
            #expect(throws: EtcdError.self) { try anonymous.get("/test/tls") }
        }
    }

}

/// A throwaway CA with a server certificate for 127.0.0.1 and a client certificate, made with openssl.
struct TestCertificates {
    let directory: String

    func file(_ name: String) -> String { "\(directory)/\(name)" }

    static func make() throws -> TestCertificates {
        let directory = NSTemporaryDirectory() + "/dmswitch-certs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let made = TestCertificates(directory: directory)
        // etcd 3.4's gateway dials its own gRPC port with the server certificate,
        // so with --client-cert-auth that certificate must allow client auth too.
        try "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n".write(toFile: made.file("server.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(toFile: made.file("client.ext"), atomically: true, encoding: .utf8)
        try openssl(in: directory, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                                     "-days", "2", "-subj", "/CN=dmswitch test CA"])
        for (name, subject) in [("server", "/CN=127.0.0.1"), ("client", "/CN=root")] {
            try openssl(in: directory, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr",
                                         "-subj", subject])
            try openssl(in: directory, ["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                                         "-CAcreateserial", "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"])
        }
        return made
    }

    private static func openssl(in directory: String, _ arguments: [String]) throws {
        let binary = "/usr/bin/openssl"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw EtcdClusterError("The openssl binary \(binary) is missing; install Debian's openssl package (make deps).")
        }
        let outcome = try Subprocess.run(Subprocess.Options(executable: binary, arguments: arguments,
                                                            workingDirectory: directory, deadline: .seconds(30)))
        guard outcome.status.isSuccess else {
            throw EtcdClusterError("openssl \(arguments.prefix(2).joined(separator: " ")) failed (\(outcome.status)): \(outcome.stderr)")
        }
    }
}
