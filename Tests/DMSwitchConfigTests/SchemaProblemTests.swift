import Testing

@testable import DMSwitchConfig

/// A configuration with something wrong, and exactly the problems it must produce.
struct SchemaCase: Sendable, CustomTestStringConvertible {
    var snippet: String
    var replacing: Set<ConfigFixture.Part>
    var expected: [String]

    init(_ snippet: String, replacing: Set<ConfigFixture.Part> = [], _ expected: String...) {
        self.snippet = snippet
        self.replacing = replacing
        self.expected = expected
    }

    var testDescription: String { expected.first ?? snippet }
}

@Suite("dmswitch.toml schema problems")
struct SchemaProblemTests {
    static let facilities =
        #"one of "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7""#

    static let sections: [SchemaCase] = [
        SchemaCase("[detection]\nintervall = \"2s\"",
                   #"t.toml:2:1: unknown key "intervall" in [detection]; did you mean "interval"?"#),
        SchemaCase("[detection]\ncolour = \"red\"", #"t.toml:2:1: unknown key "colour" in [detection]"#),
        SchemaCase("[detecton]\ninterval = \"1s\"", "t.toml:1:1: unknown table [detecton]; did you mean [detection]?"),
        SchemaCase("[[groups]]\nsource-id = \"x\"", "t.toml:1:1: unknown table [[groups]]; did you mean [[group]]?"),
        SchemaCase("[detection.extra]\nx = 1", "t.toml:1:1: unknown table [detection.extra] in [detection]"),
        SchemaCase("interval = \"1s\"",
                   #"t.toml:1:1: key "interval" must be written under its table; did you mean to put it under [detection]?"#),
        SchemaCase("colour = 1", #"t.toml:1:1: unknown key "colour" at the top level; settings belong under a table such as [daemon]"#),
        SchemaCase("[[daemon]]\nnode-name = \"x\"", "t.toml:1:1: [[daemon]] must be a single table: write [daemon]"),
        SchemaCase("detection = 5", #"t.toml:1:1: key "detection" at the top level must be the table [detection], found integer 5"#),
        SchemaCase("[detection]\nfailures = \"3\"",
                   #"t.toml:2:12: key "failures" in [detection] must be an integer, found string "3""#),
        SchemaCase("[detection]\ninterval = 1",
                   #"t.toml:2:12: key "interval" in [detection] must be a duration in quotes such as "1s", found integer 1"#),
        SchemaCase("[detection]\ninterval = \"1x\"",
                   #"t.toml:2:12: key "interval" in [detection] is not a valid duration: "1x" has an unknown unit "x"; use h, m, s or ms"#),
        SchemaCase("[detection]\nfailures = 0", #"t.toml:2:12: key "failures" in [detection] must be between 1 and 100, found 0"#),
        SchemaCase("[detection]\ninterval = \"10ms\"",
                   #"t.toml:2:12: key "interval" in [detection] must be between 100ms and 1h, found "10ms""#),
        SchemaCase("[detection]\ntimeout = \"0s\"",
                   #"t.toml:2:11: key "timeout" in [detection] must be between 1ms and 1h, found "0s""#),
        SchemaCase("[detection]\nconfirm-with-replicas = \"yes\"",
                   #"t.toml:2:25: key "confirm-with-replicas" in [detection] must be true or false, found string "yes""#),
        SchemaCase("[failover]\ncooldown = \"800h\"",
                   #"t.toml:2:12: key "cooldown" in [failover] must be between 0s and 720h, found "800h""#),
        SchemaCase("[daemon]\nsyslog-facility = \"demon\"",
                   #"t.toml:2:19: key "syslog-facility" in [daemon] must be "# + facilities + #", found "demon"; did you mean "daemon"?"#),
        SchemaCase("[daemon]\nstate-dir = \"var/lib/dmswitch\"",
                   #"t.toml:2:13: key "state-dir" in [daemon] must be an absolute path, found "var/lib/dmswitch""#),
        SchemaCase("[daemon]\ncontrol-socket = \"/" + String(repeating: "s", count: 110) + "\"",
                   #"t.toml:2:18: key "control-socket" in [daemon] must be at most 107 bytes long (a Unix socket path), found 111"#),
        SchemaCase("[daemon]\ncontrol-group = \"dm switch\"",
                   #"t.toml:2:17: key "control-group" in [daemon] must not contain spaces or control characters, found "dm switch""#),
        SchemaCase("[daemon]\ncontrol-group = \"-dm\"",
                   #"t.toml:2:17: key "control-group" in [daemon] must be a group name (letters, digits, '_', '.' and '-'), found "-dm""#),
        SchemaCase("[daemon]\nnode-name = \"\"", #"t.toml:2:13: key "node-name" in [daemon] must not be empty"#),
        SchemaCase("[dm]\nbackend = \"openapi\"\nmaster-addr = [\"10.0.0.1:8261\"]", replacing: [.dm],
                   #"t.toml:2:11: key "backend" in [dm] must be "dmctl", found "openapi""#),
        SchemaCase("[dm]\nmaster-addr = [\"10.0.0.1:8261\"]\nversion = \"v4.0.0\"", replacing: [.dm],
                   #"t.toml:3:11: key "version" in [dm] is not a valid DM version: "v4.0.0" is not a DM release: DM was released as v1.0.x, v2.0.x and v5.3 or later"#),
        SchemaCase("[dm]\nmaster-addr = []", replacing: [.dm], #"t.toml:2:15: key "master-addr" in [dm] must not be empty"#),
        SchemaCase("[dm]\nmaster-addr = \"10.0.0.1:8261\"", replacing: [.dm],
                   #"t.toml:2:15: key "master-addr" in [dm] must be an array of addresses such as ["10.0.0.1:8261"], found string "10.0.0.1:8261""#),
        SchemaCase("[dm]\nmaster-addr = [\"10.0.0.1\"]", replacing: [.dm],
                   #"t.toml:2:16: element 1 of key "master-addr" in [dm] is not a valid address: "10.0.0.1" has no port; write host:port, e.g. "10.0.0.1:3306""#),
        SchemaCase("[dm]\nmaster-addr = [\"a:1\", 2]", replacing: [.dm],
                   #"t.toml:2:23: element 2 of key "master-addr" in [dm] must be a string, found integer 2"#),
        SchemaCase("[dm]\nmaster-addr = [\"a:1\", \"a:1\"]", replacing: [.dm],
                   #"t.toml:2:23: element 2 of key "master-addr" in [dm] repeats "a:1""#),
        SchemaCase("[dm]\nversion = \"v2\"", replacing: [.dm], #"t.toml:1:1: missing required key "master-addr" in [dm]"#),
        SchemaCase("", replacing: [.dm], #"t.toml: missing required key "master-addr" in [dm]"#),
        SchemaCase("[dm]\nmaster-addr = [\"a:1\"]\nssl-cert = \"/etc/c.pem\"", replacing: [.dm],
                   #"t.toml:3:12: key "ssl-cert" in [dm] needs "ssl-key" as well"#),
        SchemaCase("[dm]\nmaster-addr = [\"a:1\"]\nmaster = 1", replacing: [.dm],
                   #"t.toml:3:1: unknown key "master" in [dm]; did you mean "master-addr"?"#),
        SchemaCase("[mysql]\npassword-file = \"\"", replacing: [.mysql], #"t.toml:1:1: missing required key "user" in [mysql]"#),
        SchemaCase("[mysql]\nuser = \"u\"\npassword = \"secret\"\npassword-file = \"\"", replacing: [.mysql],
                   #"t.toml:3:1: key "password" in [mysql] is not allowed: the password is never written in the main file; use password-file"#),
        SchemaCase("[mysql]\nuser = \"u\"", replacing: [.mysql],
                   #"t.toml:1:1: missing required key "password-file" in [mysql]: name the file holding the password, or write password-file = "" for none"#),
        SchemaCase("", replacing: [.mysql],
                   #"t.toml: missing required key "user" in [mysql]"#,
                   #"t.toml: missing required key "password-file" in [mysql]: name the file holding the password, or write password-file = "" for none"#),
        SchemaCase("[mysql]\nuser = \"\"\npassword-file = \"x\"", replacing: [.mysql],
                   #"t.toml:2:8: key "user" in [mysql] must not be empty"#,
                   #"t.toml:3:17: key "password-file" in [mysql] must be an absolute path, found "x""#),
        SchemaCase("[mysql]\nuser = \"u\"\npassword-file = \"\"\ntls-key = \"/k.pem\"\ntls-verfy = true", replacing: [.mysql],
                   #"t.toml:4:11: key "tls-key" in [mysql] needs "tls-cert" as well"#,
                   #"t.toml:5:1: unknown key "tls-verfy" in [mysql]; did you mean "tls-verify"?"#),
        SchemaCase("[coordination]\netcd-user = \"dm\"",
                   #"t.toml:2:1: key "etcd-user" in [coordination] applies only to coordination through etcd (key "etcd" lists no endpoint)"#,
                   #"t.toml:2:13: key "etcd-user" in [coordination] needs "etcd-password-file" as well"#),
        SchemaCase("[coordination]\netcd = [\"10.0.0.5:2379\"]",
                   #"t.toml:2:9: element 1 of key "etcd" in [coordination] is not a valid URL: "10.0.0.5:2379" is not an etcd URL; write http://host:port or https://host:port, e.g. "https://10.0.0.5:2379""#),
        SchemaCase("[coordination]\netcd = [\"http://e:2379\"]\netcd-password = \"pw\"",
                   #"t.toml:3:1: key "etcd-password" in [coordination] is not allowed: the password is never written in the main file; use etcd-password-file"#),
        SchemaCase("[coordination]\nlease-ttl = \"2500ms\"",
                   #"t.toml:2:13: key "lease-ttl" in [coordination] must be a whole number of seconds, found "2500ms""#),
        SchemaCase("[coordination]\nprefix = \"dmswitch/\"",
                   #"t.toml:2:10: key "prefix" in [coordination] must start with '/' and not end with one, e.g. "/dmswitch", found "dmswitch/""#),
    ]

    @Test("Section problems name file:line:column, the key, and what was expected", arguments: sections)
    func sectionProblems(_ example: SchemaCase) {
        let text = ConfigFixture.text(example.snippet, replacing: example.replacing)
        #expect(ConfigFixture.problems(text) == example.expected)
        #expect(ConfigFixture.validate(text).problems.allSatisfy { $0.key != nil })
    }
}

/// Group-level cases; each replaces the fixture's group with its own text.
extension SchemaProblemTests {
    static let instances = """
        [[group.instance]]
        address = "10.0.0.1:3306"

        [[group.instance]]
        address = "10.0.0.2:3306"
        """

    static let groups: [SchemaCase] = [
        SchemaCase("[[group]]\nvip = \"10.0.0.100:3306\"\nvip-move-command = [\"/x/move\"]\n\n" + instances, replacing: [.group],
                   #"t.toml:1:1: missing required key "source-id" in [[group]] #1"#,
                   #"t.toml:1:1: missing required key "scenario" in [[group]] #1"#),
        SchemaCase("[[group]]\nsource-id = \"orders\"\nscenario = \"vips\"\n\n" + instances, replacing: [.group],
                   #"t.toml:3:12: key "scenario" in [[group]] "orders" must be "vip" or "address", found "vips"; did you mean "vip"?"#),
        SchemaCase("[[group]]\nsource-id = \"orders\"\nscenario = \"vip\"\nvip = \"10.0.0.100:3306\"\n\n" + instances,
                   replacing: [.group],
                   #"t.toml:1:1: missing required key "vip-move-command" in [[group]] "orders": scenario "vip" needs it"#),
        SchemaCase("""
            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.100:3306"
            vip-move-command = ["/x/move"]
            task-files = ["/etc/t.yaml"]
            source-file = "/etc/s.yaml"

            """ + instances, replacing: [.group],
                   #"t.toml:6:1: key "task-files" in [[group]] "orders" applies only to scenario "address""#,
                   #"t.toml:7:1: key "source-file" in [[group]] "orders" applies only to scenario "address" with DM v2+"#),
        SchemaCase("[[group]]\nsource-id = \"orders\"\nscenario = \"address\"\n\n" + instances, replacing: [.group],
                   #"t.toml:1:1: missing required key "task-files" in [[group]] "orders": scenario "address" needs it"#,
                   #"t.toml:1:1: missing required key "source-file" in [[group]] "orders": scenario "address" with DM v2+ needs it"#),
        SchemaCase("""
            [[group]]
            source-id = "orders"
            scenario = "address"
            task-files = ["/etc/t.yaml"]
            source-file = "/etc/s.yaml"
            vip = "10.0.0.100:3306"
            worker-addr = "10.0.0.9:8262"

            """ + instances, replacing: [.group],
                   #"t.toml:6:1: key "vip" in [[group]] "orders" applies only to scenario "vip""#,
                   #"t.toml:7:1: key "worker-addr" in [[group]] "orders" applies only to DM v1"#),
        SchemaCase("""
            [dm]
            master-addr = ["10.0.0.1:8261"]
            version = "v1.0.7"

            [[group]]
            source-id = "orders"
            scenario = "address"
            task-files = ["/etc/t.yaml"]
            source-file = "/etc/s.yaml"

            """ + instances, replacing: [.dm, .group],
                   #"t.toml:5:1: missing required key "inventory-file" in [[group]] "orders": scenario "address" with DM v1 needs it"#,
                   #"t.toml:5:1: missing required key "rolling-update-command" in [[group]] "orders": scenario "address" with DM v1 needs it"#,
                   #"t.toml:5:1: missing required key "worker-alias" in [[group]] "orders": scenario "address" with DM v1 needs it"#,
                   #"t.toml:5:1: missing required key "worker-addr" in [[group]] "orders": DM v1 needs it (the DM-worker address dmctl's -w takes)"#,
                   #"t.toml:9:1: key "source-file" in [[group]] "orders" applies only to scenario "address" with DM v2+"#),
        SchemaCase("""
            [[group]]
            source-id = "\(String(repeating: "x", count: 33))"
            scenario = "vip"
            vip = "10.0.0.100:3306"
            vip-move-command = ["/x/move"]

            """ + instances, replacing: [.group],
                   #"t.toml:2:13: key "source-id" in [[group]] #1 must be at most 32 characters long, found 33"#),
        SchemaCase("""
            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.100:3306"
            vip-move-command = ["move-vip", "--now"]
            tasks = ["t1", "t1"]

            """ + instances, replacing: [.group],
                   #"t.toml:5:21: the executable "move-vip" of key "vip-move-command" in [[group]] "orders" must be an absolute path, found "move-vip""#,
                   #"t.toml:6:16: element 2 of key "tasks" in [[group]] "orders" repeats "t1""#),
        SchemaCase("""
            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.1:3306"
            vip-move-command = []

            """ + instances, replacing: [.group],
                   #"t.toml:4:7: vip "10.0.0.1:3306" of [[group]] "orders" is the address of the instance at line 7; the VIP must be an address of its own"#,
                   #"t.toml:5:20: key "vip-move-command" in [[group]] "orders" must not be empty"#),
        SchemaCase("""
            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.100:3306"
            vip-move-command = ["/x/move"]

            [[group.instance]]
            address = "10.0.0.1:3306"
            """, replacing: [.group],
                   #"t.toml:1:1: [[group]] "orders" needs at least 2 [[group.instance]] tables, found 1"#),
        SchemaCase("""
            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.100:3306"
            vip-move-command = ["/x/move"]

            [[group.instance]]
            address = "10.0.0.1:3306"
            name = "db"
            no-failover = true
            prio = 1

            [[group.instance]]
            address = "10.0.0.1:3306"
            name = "db"
            no-failover = true

            [[group.instance]]
            name = "third"
            priority = 3000000000
            """, replacing: [.group],
                   #"t.toml:11:1: unknown key "prio" in [[group.instance]] "10.0.0.1:3306"; did you mean "priority"?"#,
                   #"t.toml:14:11: instance address "10.0.0.1:3306" is already used in this group at line 8; an instance belongs to one group, once"#,
                   #"t.toml:15:8: instance name "db" is used twice in [[group]] "orders"; it was first used at line 9"#,
                   #"t.toml:18:1: missing required key "address" in [[group.instance]] #3 of [[group]] "orders""#,
                   #"t.toml:20:12: key "priority" in [[group.instance]] #3 of [[group]] "orders" must be between -2147483648 and 2147483647, found 3000000000"#),
        SchemaCase("""
            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.100:3306"
            vip-move-command = ["/x/move"]

            [[group.instance]]
            address = "10.0.0.1:3306"
            no-failover = true

            [[group.instance]]
            address = "10.0.0.2:3306"
            no-failover = true
            """, replacing: [.group],
                   #"t.toml:1:1: every [[group.instance]] of [[group]] "orders" has no-failover = true, so none could become the upstream"#),
        SchemaCase("""
            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.100:3306"
            vip-move-command = ["/x/move"]

            """ + instances + """


            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.100:3306"
            vip-move-command = ["/x/move"]

            [[group.instance]]
            address = "10.0.0.2:3306"

            [[group.instance]]
            address = "10.0.0.3:3306"
            """, replacing: [.group],
                   #"t.toml:13:13: source-id "orders" is already used by the [[group]] at line 1; each group is one DM source"#,
                   #"t.toml:15:7: vip "10.0.0.100:3306" is already the VIP of the [[group]] at line 1; each group needs its own"#,
                   #"t.toml:19:11: instance address "10.0.0.2:3306" is already used in [[group]] "orders" at line 10; an instance belongs to one group, once"#),
        SchemaCase("""
            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.100:3306"
            vip-move-command = ["/x/move"]

            [group.instance]
            address = "10.0.0.1:3306"
            """, replacing: [.group],
                   #"t.toml:7:1: key "instance" in [[group]] "orders" must be an array of tables written [[group.instance]], found a table [group.instance]"#),
        SchemaCase("""
            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.100:3306"
            vip-move-command = ["/x/move"]

            [[group.instances]]
            address = "10.0.0.1:3306"
            """, replacing: [.group],
                   #"t.toml:1:1: [[group]] "orders" needs at least 2 [[group.instance]] tables, found none"#,
                   #"t.toml:7:1: unknown table [[group.instances]] in [[group]] "orders"; did you mean [[group.instance]]?"#),
        SchemaCase("[group]\nsource-id = \"x\"", replacing: [.group],
                   "t.toml:1:1: [group] must be an array of tables: write [[group]] before each group"),
        SchemaCase("", replacing: [.group], "t.toml: at least one [[group]] is required"),
    ]

    @Test("Group problems name file:line:column, the group, and what the scenario or DM version needs", arguments: groups)
    func groupProblems(_ example: SchemaCase) {
        let text = ConfigFixture.text(example.snippet, replacing: example.replacing)
        #expect(ConfigFixture.problems(text) == example.expected)
        #expect(ConfigFixture.validate(text).problems.allSatisfy { $0.key?.hasPrefix("group") == true })
    }
}
