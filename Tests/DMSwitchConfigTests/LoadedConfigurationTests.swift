import Testing

@testable import DMSwitchConfig

@Suite("Loading a valid dmswitch.toml")
struct LoadedConfigurationTests {
    @Test("A minimal file gets every documented default")
    func defaults() throws {
        let validation = ConfigFixture.validate(ConfigFixture.text(""))
        #expect(validation.problems.isEmpty)
        let configuration = try #require(validation.configuration)
        let expected = DMSwitchConfiguration(
            daemon: .init(
                stateDirectory: "/var/lib/dmswitch", controlSocket: "/run/dmswitch/control.sock",
                controlGroup: "dmswitch", syslogSocket: "/dev/log", syslogFacility: .daemon, nodeName: "test-host"),
            dm: .init(
                backend: .dmctl, dmctlPath: "/usr/local/bin/dmctl", masterAddresses: [HostPort(host: "10.0.0.1", port: 8261)],
                version: DMVersion(generation: .v2plus, release: nil, raw: "v2"), commandTimeout: .seconds(30),
                workDirectory: "/var/lib/dmswitch/dmctl", tls: nil),
            detection: .init(interval: .seconds(1), timeout: .seconds(1), failures: 3, confirmWithReplicas: true, startupProbes: 3),
            failover: .init(
                automatic: true, catchUpTimeout: .seconds(30), cooldown: .seconds(3600), stepRetries: 3,
                stepBackoff: .seconds(1), stepTimeout: .seconds(60)),
            mysql: .init(user: "dmswitch", passwordFile: nil, tlsCA: nil, tlsCert: nil, tlsKey: nil, tlsVerify: false),
            coordination: .init(
                etcd: [], etcdUser: nil, etcdPasswordFile: nil, etcdCA: nil, etcdCert: nil, etcdKey: nil,
                leaseTTL: .seconds(10), prefix: "/dmswitch"),
            groups: [
                .init(
                    sourceID: "orders",
                    switching: .vip(.init(
                        address: HostPort(host: "10.0.0.100", port: 3306),
                        moveCommand: ExternalCommand(executable: "/usr/local/sbin/move-vip", arguments: []),
                        moveTimeout: .seconds(30))),
                    workerAddress: nil, tasks: nil,
                    instances: [
                        .init(address: HostPort(host: "10.0.0.1", port: 3306), name: "10.0.0.1:3306", priority: 0, noFailover: false),
                        .init(address: HostPort(host: "10.0.0.2", port: 3306), name: "10.0.0.2:3306", priority: 0, noFailover: false),
                    ])
            ])
        #expect(configuration == expected)
    }

    @Test("Every key set explicitly is read into its typed field (DM v1, address scenario)")
    func everyKey() throws {
        let text = """
            [daemon]
            state-dir = "/srv/dmswitch"
            control-socket = "/srv/dmswitch/ctl.sock"
            control-group = "dba"
            syslog-socket = "/run/systemd/journal/dev-log"
            syslog-facility = "local3"
            log-level = "debug"
            node-name = "dm-1"

            [dm]
            backend = "dmctl"
            dmctl-path = "/opt/dm/bin/dmctl"
            master-addr = ["10.0.1.1:8261", "[fd00::2]:8261"]
            version = "v1.0.7"
            command-timeout = "1m30s"
            ssl-ca = "/etc/ca.pem"
            ssl-cert = "/etc/c.pem"
            ssl-key = "/etc/k.pem"

            [detection]
            interval = "500ms"
            timeout = "250ms"
            failures = 5
            confirm-with-replicas = false
            startup-probes = 2

            [failover]
            automatic = false
            catch-up-timeout = "0s"
            cooldown = "2h"
            step-retries = 0
            step-backoff = "250ms"
            step-timeout = "2m"

            [mysql]
            user = 'observer'
            password-file = "/etc/dmswitch/mysql.pw"
            tls-ca = "/etc/mca.pem"
            tls-cert = "/etc/mc.pem"
            tls-key = "/etc/mk.pem"
            tls-verify = true

            [coordination]
            etcd = ["https://10.0.0.5:2379", "https://10.0.0.6:2379"]
            etcd-user = "dmswitch"
            etcd-password-file = "/etc/dmswitch/etcd.pw"
            etcd-ca = "/etc/eca.pem"
            etcd-cert = "/etc/ec.pem"
            etcd-key = "/etc/ek.pem"
            lease-ttl = "15s"
            prefix = "/dm/prod"

            [[group]]
            source-id = "replica-01"
            scenario = "address"
            task-files = ["/etc/dm/t1.yaml", "/etc/dm/t2.yaml"]
            inventory-file = "/home/tidb/dm-ansible/inventory.ini"
            rolling-update-command = ["/usr/bin/ansible-playbook", "rolling_update.yml", "--tags=dm-worker", "-l", "dm_worker1"]
            worker-alias = "dm_worker1"
            worker-addr = "10.0.1.21:8262"
            tasks = ["t1", "t2"]

            [[group.instance]]
            address = "10.0.2.1:3306"
            name = "a"
            priority = -5

            [[group.instance]]
            address = "10.0.2.2:3307"
            no-failover = true
            """
        let validation = ConfigFixture.validate(text)
        #expect(validation.problems.map(\.description) == [])
        let configuration = try #require(validation.configuration)
        #expect(configuration.daemon.stateDirectory == "/srv/dmswitch")
        #expect(configuration.daemon.syslogFacility == .local3)
        #expect(configuration.daemon.syslogFacility.code == 19 << 3)
        #expect(configuration.daemon.nodeName == "dm-1")
        #expect(configuration.daemon.logLevel == .debug)
        #expect(configuration.dm.workDirectory == "/srv/dmswitch/dmctl")
        #expect(configuration.dm.masterAddresses.map(\.description) == ["10.0.1.1:8261", "[fd00::2]:8261"])
        #expect(configuration.dm.version.generation == .v1)
        #expect(configuration.dm.commandTimeout == .seconds(90))
        #expect(configuration.dm.tls == .init(ca: "/etc/ca.pem", cert: "/etc/c.pem", key: "/etc/k.pem"))
        #expect(configuration.detection == .init(
            interval: .milliseconds(500), timeout: .milliseconds(250), failures: 5, confirmWithReplicas: false, startupProbes: 2))
        #expect(configuration.failover == .init(
            automatic: false, catchUpTimeout: .zero, cooldown: .seconds(7200), stepRetries: 0,
            stepBackoff: .milliseconds(250), stepTimeout: .seconds(120)))
        #expect(configuration.mysql == .init(
            user: "observer", passwordFile: "/etc/dmswitch/mysql.pw", tlsCA: "/etc/mca.pem", tlsCert: "/etc/mc.pem",
            tlsKey: "/etc/mk.pem", tlsVerify: true))
        #expect(configuration.mysql.usesTLS)
        #expect(configuration.coordination.etcd.map(\.description) == ["https://10.0.0.5:2379", "https://10.0.0.6:2379"])
        #expect(configuration.coordination.etcdUser == "dmswitch")
        #expect(configuration.coordination.leaseTTL == .seconds(15))
        #expect(configuration.coordination.prefix == "/dm/prod")
        let group = try #require(configuration.group(sourceID: "replica-01"))
        #expect(group.scenario == .address)
        #expect(group.vip == nil)
        #expect(group.workerAddress == HostPort(host: "10.0.1.21", port: 8262))
        #expect(group.tasks == ["t1", "t2"])
        let change = try #require(group.addressChange)
        #expect(change.taskFiles == ["/etc/dm/t1.yaml", "/etc/dm/t2.yaml"])
        #expect(change.repoint == .dmAnsible(.init(
            inventoryFile: "/home/tidb/dm-ansible/inventory.ini",
            rollingUpdateCommand: ExternalCommand(
                executable: "/usr/bin/ansible-playbook", arguments: ["rolling_update.yml", "--tags=dm-worker", "-l", "dm_worker1"]),
            workerAlias: "dm_worker1")))
        #expect(group.instances.map(\.name) == ["a", "10.0.2.2:3307"])
        #expect(group.instances.map(\.priority) == [-5, 0])
        #expect(group.instances.map(\.noFailover) == [false, true])
        #expect(group.instance(at: HostPort(host: "10.0.2.2", port: 3307))?.noFailover == true)
    }

    @Test("DM v2+ with the address scenario repoints through the source file")
    func addressScenarioV2() throws {
        let text = ConfigFixture.text("""
            [[group]]
            source-id = "orders"
            scenario = "address"
            source-file = "/etc/dm/source.yaml"
            task-files = ["/etc/dm/task.yaml"]

            [[group.instance]]
            address = "db1:3306"

            [[group.instance]]
            address = "db2:3306"
            """, replacing: [.group])
        let configuration = try ConfigLoader.load(text: text, file: "t.toml")
        let change = try #require(configuration.groups.first?.addressChange)
        #expect(change.repoint == .sourceFile("/etc/dm/source.yaml"))
        #expect(change.taskFiles == ["/etc/dm/task.yaml"])
    }

    @Test("Every problem in the file is reported at once, in file order")
    func allProblemsAtOnce() {
        let text = """
            [daemon]
            syslog-facility = "daemons"

            [dm]
            master-addr = ["10.0.0.1"]
            version = "v7"
            comand-timeout = "30s"

            [detection]
            interval = "0s"
            failures = 0

            [mysql]
            user = "dmswitch"
            password = "hunter2"

            [[group]]
            source-id = "orders"
            scenario = "vip"
            vip = "10.0.0.1:3306"

            [[group.instance]]
            address = "10.0.0.1:3306"
            """
        let validation = ConfigFixture.validate(text)
        #expect(validation.configuration == nil)
        #expect(validation.problems.map(\.description) == [
            #"t.toml:2:19: key "syslog-facility" in [daemon] must be one of "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7", found "daemons"; did you mean "daemon"?"#,
            #"t.toml:5:16: element 1 of key "master-addr" in [dm] is not a valid address: "10.0.0.1" has no port; write host:port, e.g. "10.0.0.1:3306""#,
            #"t.toml:7:1: unknown key "comand-timeout" in [dm]; did you mean "command-timeout"?"#,
            #"t.toml:10:12: key "interval" in [detection] must be between 100ms and 1h, found "0s""#,
            #"t.toml:11:12: key "failures" in [detection] must be between 1 and 100, found 0"#,
            #"t.toml:13:1: missing required key "password-file" in [mysql]: name the file holding the password, or write password-file = "" for none"#,
            #"t.toml:15:1: key "password" in [mysql] is not allowed: the password is never written in the main file; use password-file"#,
            #"t.toml:17:1: [[group]] "orders" needs at least 2 [[group.instance]] tables, found 1"#,
            #"t.toml:17:1: missing required key "vip-move-command" in [[group]] "orders": scenario "vip" needs it"#,
            #"t.toml:20:7: vip "10.0.0.1:3306" of [[group]] "orders" is the address of the instance at line 23; the VIP must be an address of its own"#,
        ])
        #expect(validation.problems.map(\.key) == [
            "daemon.syslog-facility", "dm.master-addr", "dm.comand-timeout", "detection.interval", "detection.failures",
            "mysql.password-file", "mysql.password", "group[1].instance", "group[1].vip-move-command", "group[1].vip",
        ])
    }

    @Test("Syntax errors are reported alone: schema problems behind them would be echoes")
    func syntaxErrorsFirst() {
        let problems = ConfigFixture.problems("[detection]\ninterval = 1s\ncolour = 1\n")
        #expect(problems == [#"t.toml:2:12: invalid value 1s for key "interval"; strings must be in quotes, e.g. "1s""#])
    }

    @Test("load throws every error as one ConfigErrors, one problem a line")
    func loadThrows() {
        let text = ConfigFixture.text("[detection]\nfailures = 0\ntimeout = \"0s\"")
        #expect(throws: ConfigErrors.self) { try ConfigLoader.load(text: text, file: "t.toml") }
        do {
            _ = try ConfigLoader.load(text: text, file: "t.toml")
        } catch {
            #expect(error.problems.count == 2)
            #expect(error.description == """
                t.toml:2:12: key "failures" in [detection] must be between 1 and 100, found 0
                t.toml:3:11: key "timeout" in [detection] must be between 1ms and 1h, found "0s"
                """)
        }
    }

    @Test("A file that cannot be read is one problem saying why")
    func unreadableFiles() throws {
        let directory = try TemporaryDirectory()
        let missing = "\(directory.path)/absent.toml"
        #expect(ConfigLoader.validate(path: missing, referencedFiles: .ignore).problems.map(\.description) == [
            "\(missing): cannot read the file: No such file or directory"
        ])
        let folder = try directory.directory("folder.toml")
        #expect(ConfigLoader.validate(path: folder, referencedFiles: .ignore).problems.map(\.description) == [
            "\(folder): cannot read the file: it is a directory"
        ])
        let binary = try directory.write("binary.toml", bytes: Array("[dm]\nmaster-addr = [\"a:1\"] # caf".utf8) + [0xC3, 0x28])
        #expect(ConfigLoader.validate(path: binary, referencedFiles: .ignore).problems.map(\.description) == [
            "\(binary):2:28: the file is not valid UTF-8 text"
        ])
    }

    @Test("A file on disk loads like its text")
    func loadsFromDisk() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("dmswitch.toml", ConfigFixture.text(""))
        let configuration = try ConfigLoader.load(path: path)
        #expect(configuration.groups.map(\.sourceID) == ["orders"])
    }
}
