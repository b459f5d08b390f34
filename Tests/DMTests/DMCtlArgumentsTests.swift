import Testing

@testable import DM

@Suite("dmctl argument vectors")
struct DMCtlArgumentsTests {
    static func configuration(_ version: String, masters: [String] = ["10.0.0.1:8261", "10.0.0.2:8261"], tls: DMTLSFiles? = nil)
        -> DMCtlConfiguration
    {
        DMCtlConfiguration(
            dmctlPath: "/usr/local/bin/dmctl", version: DMVersion(version) ?? DMVersion(major: 0),
            masterAddresses: version.hasPrefix("v1") ? ["10.0.0.1:8261"] : masters, commandTimeout: .seconds(40),
            workingDirectory: "/var/lib/dmswitch/dmctl", tls: tls,
            workerAddresses: ["mysql-replica-01": "10.0.0.2:8262"])
    }

    static let v2Global = ["--master-addr", "10.0.0.1:8261,10.0.0.2:8261", "--rpc-timeout", "30s"]
    static let v1Global = ["-master-addr", "10.0.0.1:8261"]

    /// A command and its expected argv after the global flags, per version line.
    struct Case: Sendable, CustomTestStringConvertible {
        let command: DMCtlCommand
        let v2: [String]?
        let v1: [String]?
        var testDescription: String { "\(command)" }
    }

    static let cases: [Case] = [
        Case(command: .queryStatus(task: "orders", source: nil), v2: ["query-status", "orders"], v1: ["query-status", "orders"]),
        Case(
            command: .queryStatus(task: nil, source: "mysql-replica-01"), v2: ["query-status", "-s", "mysql-replica-01"],
            v1: ["query-status", "-w", "10.0.0.2:8262"]),
        Case(command: .queryStatus(task: nil, source: nil), v2: ["query-status"], v1: ["query-status"]),
        Case(command: .pauseTask(task: "orders", source: nil), v2: ["pause-task", "orders"], v1: ["pause-task", "orders"]),
        Case(
            command: .pauseTask(task: "orders", source: "mysql-replica-01"),
            v2: ["pause-task", "-s", "mysql-replica-01", "orders"], v1: ["pause-task", "-w", "10.0.0.2:8262", "orders"]),
        Case(command: .resumeTask(task: "orders", source: nil), v2: ["resume-task", "orders"], v1: ["resume-task", "orders"]),
        Case(command: .stopTask(task: "orders", source: nil), v2: ["stop-task", "orders"], v1: ["stop-task", "orders"]),
        Case(command: .pauseTasks(source: "mysql-replica-01"), v2: ["pause-task", "-s", "mysql-replica-01"], v1: nil),
        Case(command: .resumeTasks(source: "mysql-replica-01"), v2: ["resume-task", "-s", "mysql-replica-01"], v1: nil),
        Case(command: .stopTasks(source: "mysql-replica-01"), v2: ["stop-task", "-s", "mysql-replica-01"], v1: nil),
        Case(
            command: .startTask(file: "/etc/dmswitch/tasks/orders.yaml", source: nil),
            v2: ["start-task", "/etc/dmswitch/tasks/orders.yaml"], v1: ["start-task", "/etc/dmswitch/tasks/orders.yaml"]),
        Case(
            command: .createSource(file: "/etc/dmswitch/sources/s1.yaml"),
            v2: ["operate-source", "create", "/etc/dmswitch/sources/s1.yaml"], v1: nil),
        Case(command: .stopSource(source: "mysql-replica-01"), v2: ["operate-source", "stop", "mysql-replica-01"], v1: nil),
        Case(command: .showSources(sources: []), v2: ["operate-source", "show"], v1: nil),
        Case(
            command: .showSources(sources: ["a", "b"]), v2: ["operate-source", "show", "-s", "a", "-s", "b"], v1: nil),
        Case(command: .listMembers, v2: ["list-member"], v1: nil),
        Case(
            command: .pauseRelay(source: "mysql-replica-01"), v2: ["pause-relay", "-s", "mysql-replica-01"],
            v1: ["pause-relay", "-w", "10.0.0.2:8262"]),
        Case(
            command: .resumeRelay(source: "mysql-replica-01"), v2: ["resume-relay", "-s", "mysql-replica-01"],
            v1: ["resume-relay", "-w", "10.0.0.2:8262"]),
        Case(command: .switchRelayMaster(source: "mysql-replica-01"), v2: nil, v1: ["switch-relay-master", "-w", "10.0.0.2:8262"]),
    ]

    @Test("v2+ argv: all masters, --rpc-timeout from the command timeout, -s for sources", arguments: cases)
    func v2(_ example: Case) throws {
        let builder = DMCtlArguments(configuration: Self.configuration("v6.5.0"))
        if let expected = example.v2 {
            #expect(try builder.arguments(for: example.command) == Self.v2Global + expected)
        } else {
            let error = try #require(throws: DMError.self) { try builder.arguments(for: example.command) }
            guard case .unsupported = error.failure else { Issue.record("\(error)"); return }
        }
    }

    @Test("v1.0 argv: single-dash -master-addr, -w with the source's worker address", arguments: cases)
    func v1(_ example: Case) throws {
        let builder = DMCtlArguments(configuration: Self.configuration("v1.0.7"))
        if let expected = example.v1 {
            #expect(try builder.arguments(for: example.command) == Self.v1Global + expected)
        } else {
            let error = try #require(throws: DMError.self) { try builder.arguments(for: example.command) }
            guard case .unsupported = error.failure else { Issue.record("\(error)"); return }
            #expect(error.description.hasPrefix("Could not "))
        }
    }

    @Test("v1.0 refuses a source whose worker address is not configured, naming the source")
    func v1UnknownSource() throws {
        let builder = DMCtlArguments(configuration: Self.configuration("v1.0.7"))
        let error = try #require(throws: DMError.self) { try builder.arguments(for: .pauseRelay(source: "other")) }
        #expect(
            error.description
                == #"Could not pause the relay of DM source "other": no DM-worker address is configured for source "other", and DM v1.0's dmctl addresses workers, not sources."#
        )
    }

    @Test("TLS files follow the master flags")
    func tls() throws {
        let files = DMTLSFiles(certificateAuthority: "/etc/dm/ca.pem", certificate: "/etc/dm/client.pem", key: "/etc/dm/client-key.pem")
        let builder = DMCtlArguments(configuration: Self.configuration("v7.5.1", tls: files))
        #expect(
            builder.globalArguments
                == Self.v2Global + ["--ssl-ca", "/etc/dm/ca.pem", "--ssl-cert", "/etc/dm/client.pem", "--ssl-key", "/etc/dm/client-key.pem"])
        let caOnly = DMCtlArguments(configuration: Self.configuration("v7.5.1", tls: DMTLSFiles(certificateAuthority: "/ca")))
        #expect(caOnly.globalArguments == Self.v2Global + ["--ssl-ca", "/ca"])
    }

    @Test("The RPC timeout leaves a grace of a quarter, at most 10 s, in whole seconds", arguments: [
        (1, "1s"), (4, "3s"), (8, "6s"), (40, "30s"), (60, "50s"), (600, "590s"),
    ])
    func rpcTimeout(seconds: Int, expected: String) {
        var configuration = Self.configuration("v6.5.0")
        configuration.commandTimeout = .seconds(seconds)
        let builder = DMCtlArguments(configuration: configuration)
        #expect(builder.globalArguments[3] == expected)
    }

    @Test("Versions parse from the forms DM prints and order numerically", arguments: [
        ("v1.0.7", 1, 0, 7), ("6.5", 6, 5, 0), ("v9.0.0-beta.1", 9, 0, 0), ("V2.0.10", 2, 0, 10), (" v8 ", 8, 0, 0),
    ])
    func versions(text: String, major: Int, minor: Int, patch: Int) throws {
        let version = try #require(DMVersion(text))
        #expect(version == DMVersion(major: major, minor: minor, patch: patch))
    }

    @Test("Text that is not a version is refused", arguments: ["", "v", "six", "v1..2", "v0.9", "1.2.3.4", "v-1"])
    func badVersions(text: String) {
        #expect(DMVersion(text) == nil)
    }

    @Test("stop-task's op is Stop before v6.0 and Delete from v6.0; v1 is told apart", arguments: [
        ("v1.0.7", "Stop", true), ("v2.0.7", "Stop", false), ("v5.4.3", "Stop", false), ("v6.0.0", "Delete", false),
        ("v8.5.1", "Delete", false),
    ])
    func stopOperation(text: String, operation: String, isV1: Bool) throws {
        let version = try #require(DMVersion(text))
        #expect(version.stopTaskOperation == operation)
        #expect(version.isV1 == isV1)
        #expect(DMVersion(major: 2, minor: 0, patch: 10) > DMVersion(major: 2, minor: 0, patch: 9))
    }
}
