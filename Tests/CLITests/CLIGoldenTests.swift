import Control
import Foundation
import Glibc
import Posix
import Sandbox
import Testing

/// The built dmswitchctl, run as an operator would: exact stdout, stderr and exit status.
struct CLIRun: Equatable, CustomStringConvertible {
    var status: Posix.ExitStatus
    var stdout: String
    var stderr: String

    var description: String { "status \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }

    /// Runs dmswitchctl with a fixed time zone and no DMSWITCH_SOCKET unless given.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let outcome = try Subprocess.run(.init(
            executable: try ProductLocator.path(of: "dmswitchctl"), arguments: arguments,
            environment: ["TZ": "UTC", "PATH": "/usr/bin:/bin", "LC_ALL": "C"].merging(environment) { $1 },
            deadline: .seconds(60)))
        status = outcome.status
        stdout = outcome.stdout
        stderr = outcome.stderr
    }
}

/// A control server answering from fixed payloads, in a temporary directory.
final class CannedDaemon: Sendable {
    static let when = Date(timeIntervalSince1970: 1_763_718_648)  // 2025-11-21 09:50:48 UTC

    static let status = StatusReport(groups: [GroupStatus(
        name: "orders", upstream: "db-a", actingNode: "dm-1",
        hold: HoldStatus(owner: "alice", reason: "replace disk on db-b", since: when, until: when + 1800),
        cooldownUntil: nil, lastDecision: "Upstream db-a is healthy; nothing to do.",
        instances: [
            InstanceStatus(name: "db-a", address: "10.0.0.11:3306", health: "up", identity: "0-11", readOnly: false,
                           gtidExecuted: "0-11-1500", role: "upstream"),
            InstanceStatus(name: "db-b", address: "10.0.0.12:3306", health: "down", identity: nil, readOnly: nil,
                           gtidExecuted: nil, role: "replica"),
        ],
        tasks: [TaskStatus(name: "orders-sync", stage: "Running", gtidS: "0-11-1498")])])

    static let check = CheckReport(
        group: "orders", chosen: "db-c",
        verdicts: [
            CandidateVerdict(instance: "db-b", eligible: false,
                             reasons: ["It is unreachable.", "gtid-S 0-11-1498 is not contained in its gtid-E 0-11-1400."]),
            CandidateVerdict(instance: "db-c", eligible: true),
        ],
        runbook: ["Pause task orders-sync.", "Move the VIP to db-c.", "Verify db-c answers through the VIP.", "Resume task orders-sync."])

    static let history = History(runs: [RunRecord(
        id: "r-20251121-1", group: "orders", kind: "failover", from: "db-a", to: "db-c", startedAt: when, outcome: "completed",
        steps: [
            StepRecord(name: "pause-task", startedAt: when, outcome: "ok"),
            StepRecord(name: "move-vip", startedAt: when + 2, outcome: "ok"),
        ])])

    let directory: String
    let server: ControlServer
    var socketPath: String { server.configuration.socketPath }

    init() throws {
        var template = Array("/tmp/dmsw-cli.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) != nil else {
            throw Errno.current("create a temporary directory")
        }
        directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        server = try ControlServer(configuration: .init(socketPath: directory + "/control.sock", group: nil)) { request, peer in
            switch request.command {
            case .status: .success(.status(Self.status))
            case .check(let group) where group == "orders": .success(.check(Self.check))
            case .check(let group), .acknowledge(let group): .failure(ControlError(.unknownGroup, "There is no group \"\(group)\"."))
            case .history: .success(.history(Self.history))
            case .hold(let target, let reason, let duration):
                .success(.done(Acknowledgement(
                    message: "Held \(target) for \(peer.owner): \(reason).", groups: ["orders"],
                    until: duration.map { _ in Self.when + 1800 })))
            case .release: .failure(ControlError(.notHeld, "Group orders is not held."))
            case .switchover(_, let instance): .success(.done(Acknowledgement(message: "Started a switchover to \(instance).", run: "r-2")))
            case .reload: .success(.done(Acknowledgement(message: "Reloaded the configuration.")))
            }
        }
        try server.start()
    }

    deinit {
        server.stop()
        _ = try? Subprocess.run(.init(executable: "/bin/rm", arguments: ["-rf", directory]))
    }
}

@Suite("dmswitchctl golden output", .serialized)
struct CLIGoldenTests {
    static let usageLine = "Usage: dmswitchctl [--socket PATH] [--json] COMMAND [ARGS...]"

    @Test("--help lists every command and the exit status map")
    func help() throws {
        let run = try CLIRun(["--help"])
        #expect(run.status == .exited(0))
        #expect(run.stderr.isEmpty)
        #expect(run.stdout == """
            dmswitchctl controls dmswitchd, the daemon that keeps TiDB DM replicating when its
            MySQL/MariaDB upstream goes away.

            Usage: dmswitchctl [--socket PATH] [--json] COMMAND [ARGS...]

            Commands:
              status [GROUP]                                     Show groups: upstream, hold, cooldown, instances, DM tasks.
              hold [GROUP|--all] --reason TEXT [--for DURATION]  Stop automatic failover for a group or all groups.
              release [GROUP|--all]                              End a hold.
              ack GROUP                                          Acknowledge the last run, ending the cooldown.
              check GROUP                                        Dry run: the candidate a switch would choose, and why.
              switchover GROUP --to INSTANCE [--yes]             Switch a group's DM upstream to an instance, safely.
              history [GROUP] [--limit N]                        Recent runs and their steps, newest first.
              reload                                             Make dmswitchd re-read its configuration.
              gtid ...                                           GTID arithmetic of DM's switch procedure (offline).
              check-config [--strict] FILE                       Check a configuration file and print every problem (offline).
              help [COMMAND]                                     Show the help of a command.

            Options:
              --socket PATH  The control socket (default /run/dmswitch/control.sock, or $DMSWITCH_SOCKET).
              --json         Print the daemon's result as JSON, for scripts.
              -h, --help     Show this help, or a command's help.
              --version      Print the version.

            Exit status: 0 done, 1 the daemon refused or failed, 64 usage error, 69 dmswitchd unreachable.

            """)
    }

    @Test("help COMMAND and COMMAND --help print the same command help", arguments: [["help", "hold"], ["hold", "--help"], ["--help", "hold"]])
    func commandHelp(arguments: [String]) throws {
        let run = try CLIRun(arguments)
        #expect(run.status == .exited(0))
        #expect(run.stdout == """
            Usage: dmswitchctl hold [GROUP|--all] --reason TEXT [--for DURATION]

            Stop automatic failover for a group or all groups.

            The hold records who asked (your user), why (--reason, required) and for how long
            (--for, e.g. 30m, 2h, 1h30m; default: until released). An operator-requested
            switchover still works while a group is held.

            """)
    }

    @Test("--version prints the release")
    func version() throws {
        let run = try CLIRun(["--version"])
        #expect(run == CLIRun.expected(status: 0, stdout: "dmswitchctl \(DMSwitchRelease.version)\n"))
    }

    @Test("Usage errors exit 64 with Error, Usage and See lines", arguments: [
        ([], "Error: a command is required.\n\(usageLine)\nSee 'dmswitchctl --help'.\n"),
        (["frobnicate"], "Error: unknown command \"frobnicate\".\n\(usageLine)\nSee 'dmswitchctl --help'.\n"),
        (["--bogus", "status"], "Error: unknown option \"--bogus\".\n\(usageLine)\nSee 'dmswitchctl --help'.\n"),
        (["--socket"], "Error: --socket needs a value (PATH).\n\(usageLine)\nSee 'dmswitchctl --help'.\n"),
        (["status", "a", "b"], "Error: unexpected argument \"b\".\nUsage: dmswitchctl status [GROUP]\nSee 'dmswitchctl status --help'.\n"),
        (["status", "--all"], "Error: unknown option \"--all\".\nUsage: dmswitchctl status [GROUP]\nSee 'dmswitchctl status --help'.\n"),
        (["hold", "orders"],
         "Error: hold needs --reason TEXT, so others know why the group is held.\nUsage: dmswitchctl hold [GROUP|--all] --reason TEXT [--for DURATION]\nSee 'dmswitchctl hold --help'.\n"),
        (["hold", "--reason", "x"],
         "Error: hold needs a GROUP or --all.\nUsage: dmswitchctl hold [GROUP|--all] --reason TEXT [--for DURATION]\nSee 'dmswitchctl hold --help'.\n"),
        (["hold", "orders", "--all", "--reason", "x"],
         "Error: hold takes a GROUP or --all, not both.\nUsage: dmswitchctl hold [GROUP|--all] --reason TEXT [--for DURATION]\nSee 'dmswitchctl hold --help'.\n"),
        (["hold", "orders", "--reason", "x", "--for", "10x"],
         "Error: --for needs a duration like 30m, 2h or 1h30m (at most 366d), not \"10x\".\nUsage: dmswitchctl hold [GROUP|--all] --reason TEXT [--for DURATION]\nSee 'dmswitchctl hold --help'.\n"),
        (["hold", "orders", "--reason"],
         "Error: --reason needs a value (TEXT).\nUsage: dmswitchctl hold [GROUP|--all] --reason TEXT [--for DURATION]\nSee 'dmswitchctl hold --help'.\n"),
        (["release"], "Error: release needs a GROUP or --all.\nUsage: dmswitchctl release [GROUP|--all]\nSee 'dmswitchctl release --help'.\n"),
        (["ack"], "Error: ack needs a GROUP.\nUsage: dmswitchctl ack GROUP\nSee 'dmswitchctl ack --help'.\n"),
        (["check"], "Error: check needs a GROUP.\nUsage: dmswitchctl check GROUP\nSee 'dmswitchctl check --help'.\n"),
        (["switchover", "orders"],
         "Error: switchover needs --to INSTANCE.\nUsage: dmswitchctl switchover GROUP --to INSTANCE [--yes]\nSee 'dmswitchctl switchover --help'.\n"),
        (["switchover", "orders", "--to", "db-c"],
         "Error: switchover changes DM's upstream; confirm with --yes when standard input is not a terminal.\nUsage: dmswitchctl switchover GROUP --to INSTANCE [--yes]\nSee 'dmswitchctl switchover --help'.\n"),
        (["history", "--limit", "0"],
         "Error: --limit needs a number from 1 to 10000, not \"0\".\nUsage: dmswitchctl history [GROUP] [--limit N]\nSee 'dmswitchctl history --help'.\n"),
        (["reload", "now"], "Error: unexpected argument \"now\".\nUsage: dmswitchctl reload\nSee 'dmswitchctl reload --help'.\n"),
        (["help", "nope"], "Error: unknown command \"nope\".\nUsage: dmswitchctl help [COMMAND]\nSee 'dmswitchctl --help'.\n"),
    ])
    func usageErrors(arguments: [String], stderr: String) throws {
        let run = try CLIRun(arguments + [])
        #expect(run == CLIRun.expected(status: 64, stderr: stderr))
    }

    @Test("No daemon: exit 69 and say where it was looked for")
    func unreachable() throws {
        let missing = try CLIRun(["--socket", "/nonexistent/dmswitch.sock", "status"])
        #expect(missing == CLIRun.expected(status: 69, stderr:
            "Error: dmswitchd is not reachable at /nonexistent/dmswitch.sock: it does not exist. Is dmswitchd running (systemctl status dmswitchd)?\n"))
        let fromEnvironment = try CLIRun(["status"], environment: ["DMSWITCH_SOCKET": "/nonexistent/env.sock"])
        #expect(fromEnvironment.status == .exited(69))
        #expect(fromEnvironment.stderr.contains("/nonexistent/env.sock"))
        let stale = "/tmp/dmsw-cli-stale-\(getpid()).sock"
        let socket = try UnixSocket.make(.stream)
        try socket.bind(to: UnixSocketAddress(stale))
        socket.close()
        defer { unlink(stale) }
        let refused = try CLIRun(["--socket=\(stale)", "history"])
        #expect(refused == CLIRun.expected(status: 69, stderr:
            "Error: dmswitchd is not reachable at \(stale): nothing is listening on it. Is dmswitchd running (systemctl status dmswitchd)?\n"))
    }

    @Test("--json prints the daemon's result on one line with sorted keys", arguments: [
        (["status"], #"{"groups":[{"actingNode":"dm-1","hold":{"owner":"alice","reason":"replace disk on db-b","since":"2025-11-21T09:50:48Z","until":"2025-11-21T10:20:48Z"},"instances":[{"address":"10.0.0.11:3306","gtidExecuted":"0-11-1500","health":"up","identity":"0-11","name":"db-a","readOnly":false,"role":"upstream"},{"address":"10.0.0.12:3306","health":"down","name":"db-b","role":"replica"}],"lastDecision":"Upstream db-a is healthy; nothing to do.","name":"orders","tasks":[{"gtidS":"0-11-1498","name":"orders-sync","stage":"Running"}],"upstream":"db-a"}]}"#),
        (["hold", "orders", "--reason", "disk swap", "--for", "30m"], #"{"groups":["orders"],"message":"Held group orders for root: disk swap.","until":"2025-11-21T10:20:48Z"}"#),
        (["check", "orders"], #"{"chosen":"db-c","group":"orders","runbook":["Pause task orders-sync.","Move the VIP to db-c.","Verify db-c answers through the VIP.","Resume task orders-sync."],"verdicts":[{"eligible":false,"instance":"db-b","reasons":["It is unreachable.","gtid-S 0-11-1498 is not contained in its gtid-E 0-11-1400."]},{"eligible":true,"instance":"db-c","reasons":[]}]}"#),
        (["history", "--limit", "5"], #"{"runs":[{"from":"db-a","group":"orders","id":"r-20251121-1","kind":"failover","outcome":"completed","startedAt":"2025-11-21T09:50:48Z","steps":[{"name":"pause-task","outcome":"ok","startedAt":"2025-11-21T09:50:48Z"},{"name":"move-vip","outcome":"ok","startedAt":"2025-11-21T09:50:50Z"}],"to":"db-c"}]}"#),
    ])
    func json(arguments: [String], stdout: String) throws {
        let daemon = try CannedDaemon()
        let run = try CLIRun(["--json", "--socket", daemon.socketPath] + arguments)
        #expect(run == CLIRun.expected(status: 0, stdout: stdout + "\n"))
    }

    @Test("A refusal exits 1: the message on stderr, and with --json the error object on stdout")
    func refusal() throws {
        let daemon = try CannedDaemon()
        let human = try CLIRun(["--socket", daemon.socketPath, "release", "orders"])
        #expect(human == CLIRun.expected(status: 1, stderr: "Error: Group orders is not held.\n"))
        let json = try CLIRun(["--socket", daemon.socketPath, "check", "payments", "--json"])
        #expect(json == CLIRun.expected(
            status: 1, stdout: #"{"code":"unknown-group","message":"There is no group \"payments\"."}"# + "\n",
            stderr: "Error: There is no group \"payments\".\n"))
    }

    @Test("status renders readable tables")
    func statusTables() throws {
        let daemon = try CannedDaemon()
        let run = try CLIRun(["--socket", daemon.socketPath, "status"])
        #expect(run == CLIRun.expected(status: 0, stdout: """
            Group orders
              upstream       db-a
              acting node    dm-1
              hold           held by alice since 2025-11-21 09:50:48 UTC, until 2025-11-21 10:20:48 UTC: replace disk on db-b
              cooldown       none
              last decision  Upstream db-a is healthy; nothing to do.

              INSTANCE  ADDRESS         HEALTH  ROLE      READ-ONLY  IDENTITY  GTID EXECUTED
              db-a      10.0.0.11:3306  up      upstream  no         0-11      0-11-1500
              db-b      10.0.0.12:3306  down    replica   -          -         -

              TASK         STAGE    GTID-S
              orders-sync  Running  0-11-1498

            """))
    }

    @Test("check shows the choice, every rejected candidate's reasons and the runbook")
    func checkTable() throws {
        let daemon = try CannedDaemon()
        let run = try CLIRun(["check", "orders", "--socket", daemon.socketPath])
        #expect(run == CLIRun.expected(status: 0, stdout: """
            Group orders: a switch now would choose db-c.

              CANDIDATE  ELIGIBLE  REASONS
              db-b       no        It is unreachable.
                                   gtid-S 0-11-1498 is not contained in its gtid-E 0-11-1400.
              db-c       yes       -

            Runbook:
              1. Pause task orders-sync.
              2. Move the VIP to db-c.
              3. Verify db-c answers through the VIP.
              4. Resume task orders-sync.

            """))
    }

    @Test("history lists runs, then the steps of each")
    func historyTable() throws {
        let daemon = try CannedDaemon()
        let run = try CLIRun(["--socket", daemon.socketPath, "history", "orders"])
        #expect(run == CLIRun.expected(status: 0, stdout: """
            RUN           GROUP   KIND      FROM  TO    STARTED                  OUTCOME
            r-20251121-1  orders  failover  db-a  db-c  2025-11-21 09:50:48 UTC  completed

            Steps of r-20251121-1:
              TIME      STEP        OUTCOME
              09:50:48  pause-task  ok
              09:50:50  move-vip    ok

            """))
    }

    @Test("switchover --yes and reload print the daemon's acknowledgement")
    func acknowledgements() throws {
        let daemon = try CannedDaemon()
        #expect(try CLIRun(["--socket", daemon.socketPath, "switchover", "orders", "--to", "db-c", "--yes"])
            == CLIRun.expected(status: 0, stdout: "Started a switchover to db-c.\nRun: r-2\n"))
        #expect(try CLIRun(["--socket", daemon.socketPath, "reload"])
            == CLIRun.expected(status: 0, stdout: "Reloaded the configuration.\n"))
    }
}

extension CLIRun {
    static func expected(status: Int32, stdout: String = "", stderr: String = "") -> CLIRun {
        CLIRun(status: .exited(status), stdout: stdout, stderr: stderr)
    }

    private init(status: Posix.ExitStatus, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}
