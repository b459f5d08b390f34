import Foundation
import GTID
import Testing

@testable import DM

@Suite("DM source and task files")
struct DMSourceFileTests {
    typealias F = FileFixtures

    @Test("A source file gives its id, address, GTID and relay switches and flavor, ignoring the rest")
    func readSource() throws {
        let source = try DMSourceFile.parse(F.source, path: "s.yaml")
        #expect(source.sourceID == "mysql-replica-01")
        #expect(source.host == "10.0.0.5")
        #expect(source.port == 3306)
        #expect(source.user == "dm_user")
        #expect(source.password == "VjX8cEeTX+qcvRYMtubHgA==")
        #expect(source.enableGTID)
        #expect(!source.enableRelay)
        #expect(source.flavor == .mysql)

        let minimal = try DMSourceFile.parse(F.sourceMinimal, path: "m.yaml")
        #expect(minimal.host == "db-a.internal" && minimal.port == 3307)
        #expect(!minimal.enableGTID, "DM's default for enable-gtid is false")
        #expect(minimal.flavor == nil)
        #expect(minimal.password == nil)
    }

    @Test("A source or task file prints without its password")
    func descriptionsHidePasswords() throws {
        let source = try DMSourceFile.parse(F.source, path: "s.yaml")
        #expect(source.description == #"DM source "mysql-replica-01" in "s.yaml" reading from 10.0.0.5:3306"#)
        let task = try DMTaskFile.parse(F.task.replacingOccurrences(of: #"password: """#, with: "password: secret"), path: "t.yaml")
        #expect(task.targetPassword == "secret")
        #expect(task.description == #"DM task "orders" in "t.yaml" from mysql-replica-01, mysql-replica-02 to tidb.internal:4000"#)
    }

    @Test("A task file gives its name, downstream and sources in both list indentation styles")
    func readTask() throws {
        let task = try DMTaskFile.parse(F.task, path: "t.yaml")
        #expect(task.name == "orders")
        #expect(task.targetHost == "tidb.internal" && task.targetPort == 4000 && task.targetUser == "root")
        #expect(task.sourceIDs == ["mysql-replica-01", "mysql-replica-02"])
        #expect(task.targetPassword == "")
        #expect(task.instances == [
            DMTaskFile.Instance(sourceID: "mysql-replica-01", metaBinlogGTID: "3a1f5c2e-7b44-11ee-9a01-0242ac120002:1-14"),
            DMTaskFile.Instance(sourceID: "mysql-replica-02", metaBinlogGTID: nil),
        ])

        let billing = try DMTaskFile.parse(F.taskSameIndentList, path: "b.yaml")
        #expect(billing.sourceIDs == ["maria-01", "maria-02"])
        #expect(billing.targetUser == nil)
        #expect(billing.targetPassword == nil)
    }

    static let badSources: [Refusal] = [
        Refusal("no source-id", "from:\n  host: a\n  port: 1\n",
            #"Could not read the DM source file "bad.yaml": it has no `source-id`."#),
        Refusal("source-id too long", "source-id: \(String(repeating: "s", count: 33))\nfrom:\n  host: a\n  port: 1\n",
            #"Could not read the DM source file "bad.yaml": line 1: `source-id` is 33 characters long; DM allows at most 32."#),
        Refusal("no port", "source-id: s\nfrom:\n  host: a\n",
            #"Could not read the DM source file "bad.yaml": it has no `from.port`."#),
        Refusal("port is text", "source-id: s\nfrom:\n  host: a\n  port: mysql\n",
            #"Could not read the DM source file "bad.yaml": line 4: `from.port` is "mysql", not a port number."#),
        Refusal("port out of range", "source-id: s\nfrom:\n  host: a\n  port: 70000\n",
            #"Could not read the DM source file "bad.yaml": line 4: `from.port` is "70000", not a port number."#),
        Refusal("tab indentation", "source-id: s\nfrom:\n\thost: a\n",
            #"Could not read the DM source file "bad.yaml": line 3: the line is indented with a tab, which YAML does not allow."#),
        Refusal("duplicate key", "source-id: s\nfrom:\n  host: a\n  port: 1\n  host: b\n",
            #"Could not read the DM source file "bad.yaml": line 5: `from.host` is already set on line 3."#),
        Refusal("flow-style from", "source-id: s\nfrom: {host: a, port: 1}\n",
            #"Could not read the DM source file "bad.yaml": line 2: `from` is written on one line; dmswitch reads and rewrites `from` only as an indented block."#),
        Refusal("enable-gtid not a boolean", "source-id: s\nenable-gtid: maybe\nfrom:\n  host: a\n  port: 1\n",
            #"Could not read the DM source file "bad.yaml": line 2: `enable-gtid` is "maybe", not true or false."#),
        Refusal("unknown flavor", "source-id: s\nflavor: oracle\nfrom:\n  host: a\n  port: 1\n",
            #"Could not read the DM source file "bad.yaml": line 2: `flavor` is "oracle", not mysql or mariadb."#),
        Refusal("unclosed quote", "source-id: \"s\nfrom:\n  host: a\n  port: 1\n",
            #"Could not read the DM source file "bad.yaml": line 1: `source-id` spans several lines, which dmswitch does not read."#),
        Refusal("not a mapping", "just some text\n",
            #"Could not read the DM source file "bad.yaml": line 1: expected `key: value`, found "just some text"."#),
        Refusal("host as an alias", "source-id: s\nfrom:\n  host: *upstream\n  port: 1\n",
            #"Could not read the DM source file "bad.yaml": line 3: `from.host` is written as "*upstream"; dmswitch reads only plain or quoted values here."#),
    ]

    @Test("A source file without what dmswitch needs is refused, naming the file and the line", arguments: badSources)
    func badSource(_ example: Refusal) {
        do {
            let source = try DMSourceFile.parse(example.input, path: "bad.yaml")
            Issue.record("parsed into \(source)")
        } catch {
            #expect(error.description == example.message)
        }
    }

    static let badTasks: [Refusal] = [
        Refusal("no instances", "name: t\ntarget-database:\n  host: a\n  port: 4000\n",
            #"Could not read the DM task file "bad.yaml": it lists no `mysql-instances`."#),
        Refusal("instance without source-id",
            "name: t\ntarget-database:\n  host: a\n  port: 4000\nmysql-instances:\n  - meta:\n      binlog-gtid: x\n",
            #"Could not read the DM task file "bad.yaml": it has no `mysql-instances[0].source-id`."#),
        Refusal("a source listed twice",
            "name: t\ntarget-database:\n  host: a\n  port: 4000\nmysql-instances:\n  - source-id: s\n  - source-id: s\n",
            #"Could not read the DM task file "bad.yaml": line 7: source-id "s" is listed twice in `mysql-instances`."#),
        Refusal("empty name", "name: ''\n",
            #"Could not read the DM task file "bad.yaml": line 1: `name` is empty."#),
    ]

    @Test("A task file without what dmswitch needs is refused, naming the file and the line", arguments: badTasks)
    func badTask(_ example: Refusal) {
        do {
            let task = try DMTaskFile.parse(example.input, path: "bad.yaml")
            Issue.record("parsed into \(task)")
        } catch {
            #expect(error.description == example.message)
        }
    }

    @Test("Rewriting the address changes exactly the two values, keeping comments, order and quoting", arguments: [
        ("10.0.0.6", 3307, "  host: 10.0.0.6        # the current upstream", "  port: 3307"),
        ("db-b", 3306, "  host: db-b        # the current upstream", "  port: 3306"),
        ("fd00::6", 3306, "  host: \"fd00::6\"        # the current upstream", "  port: 3306"),
        ("yes", 3306, "  host: \"yes\"        # the current upstream", "  port: 3306"),
        ("10.0.0.5", 3306, "  host: 10.0.0.5        # the current upstream", "  port: 3306"),
    ])
    func rewriteSourceText(host: String, port: Int, hostLine: String, portLine: String) throws {
        let rewritten = try DMSourceFile.rewritingAddress(F.source, path: "s.yaml", host: host, port: port)
        var expected = F.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        expected[8] = hostLine
        expected[9] = portLine
        #expect(rewritten == expected.joined(separator: "\n"))
        let reread = try DMSourceFile.parse(rewritten, path: "s.yaml")
        #expect(reread.host == host && reread.port == port && reread.sourceID == "mysql-replica-01")
    }

    @Test("Quoted address values stay quoted in their own style, and CRLF line ends survive")
    func rewriteQuoted() throws {
        let rewritten = try DMSourceFile.rewritingAddress(F.sourceMinimal, path: "m.yaml", host: "db-b.internal", port: 3308)
        #expect(rewritten == F.sourceMinimal.replacingOccurrences(of: "'db-a.internal'", with: "'db-b.internal'")
            .replacingOccurrences(of: "\"3307\"", with: "\"3308\""))
        let crlf = F.sourceMinimal.replacingOccurrences(of: "\n", with: "\r\n")
        let rewrittenCRLF = try DMSourceFile.rewritingAddress(crlf, path: "m.yaml", host: "db-b.internal", port: 3308)
        #expect(rewrittenCRLF == rewritten.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("A new address that is not one is refused before anything is written", arguments: [
        ("", 3306), ("a b", 3306), ("a\"b", 3306), ("host", 0), ("host", 65536),
    ])
    func badNewAddress(host: String, port: Int) {
        #expect(throws: DMFileError.self) { try DMSourceFile.rewritingAddress(F.source, path: "s.yaml", host: host, port: port) }
    }

    @Test("The file is replaced atomically with the old content kept as .prev and its mode kept; a repeat changes nothing")
    func rewriteFile() throws {
        let directory = try TemporaryDirectory("source")
        defer { directory.remove() }
        let path = directory.path + "/mysql-replica-01.yaml"
        try F.source.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)

        let first = try DMSourceFile.rewriteAddress(path: path, host: "10.0.0.6", port: 3306)
        #expect(first == DMAddressRewrite(previousHost: "10.0.0.5", previousPort: 3306, changed: true, backupPath: path + ".prev"))
        #expect(try String(contentsOfFile: path + ".prev", encoding: .utf8) == F.source)
        #expect(try DMSourceFile.read(path: path).host == "10.0.0.6")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let backupMode = try FileManager.default.attributesOfItem(atPath: path + ".prev")[.posixPermissions] as? Int
        #expect(backupMode == 0o600)

        let again = try DMSourceFile.rewriteAddress(path: path, host: "10.0.0.6", port: 3306)
        #expect(!again.changed && again.backupPath == nil)
        #expect(try String(contentsOfFile: path + ".prev", encoding: .utf8) == F.source, "a no-op keeps the real previous file")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(leftovers == ["mysql-replica-01.yaml", "mysql-replica-01.yaml.prev"])
    }

    @Test("A missing file is an error naming it")
    func missingFile() {
        do {
            _ = try DMSourceFile.read(path: "/nonexistent/source.yaml")
            Issue.record("read a missing file")
        } catch {
            #expect(error.description.hasPrefix(#"Could not read the DM source file "/nonexistent/source.yaml": "#))
        }
    }
}
