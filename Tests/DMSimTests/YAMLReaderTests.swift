import Testing
@testable import dmsim

@Suite("YAML subset reader for DM files")
struct YAMLReaderTests {
    @Test("A DM source file yields its source-id, address and flags")
    func sourceFile() throws {
        let text = """
            # a DM source file
            source-id: "mysql-replica-01"   # comment
            enable-gtid: true
            enable-relay: false
            flavor: MariaDB
            from:
              host: '127.0.0.1'
              port: 3306
              user: root
              password: "p#ss\\"w"
            """
        let file = try SourceFile.parse(text, path: "s.yaml")
        #expect(file.sourceID == "mysql-replica-01")
        #expect(file.from == DBEndpoint(host: "127.0.0.1", port: 3306, user: "root", password: "p#ss\"w"))
        #expect(file.enableGTID && !file.enableRelay)
        #expect(file.flavor == "mariadb")
    }

    @Test("A DM task file yields its name, target and instances with meta")
    func taskFile() throws {
        let text = """
            ---
            name: orders
            task-mode: incremental
            target-database:
              host: "10.0.0.9"
              port: 4000
              user: "dm"
              password: ""
            mysql-instances:
              - source-id: "a"
                meta:
                  binlog-gtid: "1-1-5"
                block-allow-list: "ba"
              -
                source-id: b
            block-allow-list:
              ba:
                do-dbs: ["app", 'x']
            """
        let file = try TaskFile.parse(text, path: "t.yaml")
        #expect(file.name == "orders")
        #expect(file.target.address == "10.0.0.9:4000")
        #expect(file.instances == [.init(sourceID: "a", metaGTID: "1-1-5"), .init(sourceID: "b", metaGTID: "")])
        let root = try YAMLReader.parse(text)
        #expect(root["block-allow-list"]?["ba"]?["do-dbs"]?.items == [.scalar("app"), .scalar("x")])
    }

    @Test("A sequence may sit at its key's indentation")
    func sequenceAtKeyIndent() throws {
        let root = try YAMLReader.parse("list:\n- a\n- b: 1\n  c: 2\nafter: z\n")
        #expect(root["list"]?.items.count == 2)
        #expect(root["list"]?.items.last?["c"]?.string == "2")
        #expect(root["after"]?.string == "z")
    }

    @Test("Broken input is refused with its line number", arguments: [
        ("a: 1\n\tb: 2\n", 2, "tabs are not allowed for indentation"),
        ("a: 1\na: 2\n", 2, "key \"a\" appears twice"),
        ("a: \"open\n", 1, "unterminated double-quoted string"),
        ("a:\n  b: 1\n c: 2\n", 3, "unexpected indentation"),
        ("just text\n", 1, "expected \"key: value\", found \"just text\""),
    ])
    func refused(text: String, line: Int, reason: String) {
        #expect(throws: YAMLError(line: line, reason: reason)) { try YAMLReader.parse(text) }
    }

    @Test("Missing or wrong fields name the file and the field", arguments: [
        ("from:\n  host: h\n  port: 1\n", "\"source-id\" is missing"),
        ("source-id: s\n", "the \"from\" section is missing"),
        ("source-id: s\nfrom:\n  host: h\n  port: 99999\n", "\"from.port\" is not a port number: \"99999\""),
        ("source-id: s\nenable-gtid: maybe\nfrom:\n  host: h\n  port: 1\n", "\"enable-gtid\" must be true or false"),
    ])
    func sourceErrors(text: String, reason: String) {
        #expect(throws: DMFileError(path: "x.yaml", reason: reason)) { try SourceFile.parse(text, path: "x.yaml") }
    }
}
