import Control
import Foundation
import Testing

@Suite("Control protocol")
struct ControlProtocolTests {
    static let commands: [ControlCommand] = [
        .status(group: nil), .status(group: "orders"),
        .hold(.group("orders"), reason: "maintenance of db-a", duration: .seconds(1800)),
        .hold(.all, reason: "DM upgrade", duration: nil),
        .release(.group("orders")), .release(.all),
        .acknowledge(group: "orders"), .check(group: "orders"),
        .switchover(group: "orders", to: "db-b"),
        .history(group: nil, limit: nil), .history(group: "orders", limit: 5),
        .reload,
    ]

    @Test("Every command survives encoding and parsing", arguments: commands)
    func roundTrip(command: ControlCommand) throws {
        let request = ControlRequest(command, id: "req-1")
        let line = request.encodedLine()
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(!line.dropLast().contains(UInt8(ascii: "\n")))
        #expect(try ControlRequest.parse(Array(line.dropLast())) == request)
    }

    @Test("The wire shape is the documented one")
    func wireShape() {
        let line = String(decoding: ControlRequest(.hold(.group("orders"), reason: "maint", duration: .seconds(600)), id: "a").encodedLine(), as: UTF8.self)
        #expect(line == #"{"args":{"group":"orders","reason":"maint","seconds":600},"cmd":"hold","id":"a","v":1}"# + "\n")
    }

    @Test("Bad requests map to stable codes with a specific message", arguments: [
        ("not json", "bad-request", "The request could not be read: it is not valid JSON."),
        ("[1,2]", "bad-request", "The request could not be read: the request is not of type Dictionary<String, Any>."),
        (#"{"cmd":"status"}"#, "bad-request", "The request lacks the protocol version \"v\"."),
        (#"{"v":2,"cmd":"status"}"#, "unsupported-version", "The request uses protocol version 2; this daemon speaks version 1."),
        (#"{"v":1}"#, "bad-request", "The request lacks the command \"cmd\"."),
        (#"{"v":1,"cmd":"reboot"}"#, "unknown-command",
         "The command \"reboot\" is unknown; known commands: status, hold, release, ack, check, switchover, history, reload."),
        (#"{"v":1,"cmd":"hold","args":{"group":"orders"}}"#, "bad-request",
         "A hold needs a reason (\"args.reason\"), so others know why the group is held."),
        (#"{"v":1,"cmd":"hold","args":{"reason":"x"}}"#, "bad-request",
         "A hold request needs a group (\"args.group\") or \"args.all\": true."),
        (#"{"v":1,"cmd":"hold","args":{"group":"a","all":true,"reason":"x"}}"#, "bad-request",
         "A hold request names either a group or \"all\", not both."),
        (#"{"v":1,"cmd":"hold","args":{"group":"a","reason":"x","seconds":0}}"#, "bad-request",
         "The hold duration \"args.seconds\" must be between 1 and 31622400 seconds, not 0."),
        (#"{"v":1,"cmd":"hold","args":{"group":"a","reason":"x","seconds":"10m"}}"#, "bad-request",
         "The hold request could not be read: \"args.seconds\" is not of type Int."),
        (#"{"v":1,"cmd":"switchover","args":{"group":"orders"}}"#, "bad-request", "A switchover request needs \"args.to\"."),
        (#"{"v":1,"cmd":"check"}"#, "bad-request", "A check request needs \"args.group\"."),
        (#"{"v":1,"cmd":"history","args":{"limit":-1}}"#, "bad-request",
         "The history limit \"args.limit\" must be between 1 and 10000, not -1."),
        (#"{"v":1,"cmd":"status","args":{"group":"a\nb"}}"#, "bad-request",
         "\"args.group\" must be a non-empty name without control characters."),
    ])
    func badRequests(line: String, code: String, message: String) {
        let error = #expect(throws: ControlError.self) { try ControlRequest.parse(Array(line.utf8)) }
        #expect(error?.code.rawValue == code)
        #expect(error?.message == message)
    }

    @Test("Responses round-trip for every result kind and for errors")
    func responses() throws {
        let date = Date(timeIntervalSince1970: 1_763_718_648)
        let cases: [(ControlCommandName, ControlReply)] = [
            (.status, .success(.status(StatusReport(groups: [GroupStatus(
                name: "orders", upstream: "db-a", hold: HoldStatus(owner: "alice", reason: "maint", since: date),
                instances: [InstanceStatus(name: "db-a", address: "10.0.0.1:3306", health: "up", readOnly: false)],
                tasks: [TaskStatus(name: "orders", stage: "Running", gtidS: "0-1-100")])])))),
            (.check, .success(.check(CheckReport(
                group: "orders", chosen: nil,
                verdicts: [CandidateVerdict(instance: "db-b", eligible: false, reasons: ["gtid-S ⊄ gtid-E"])], runbook: ["pause-task"])))),
            (.history, .success(.history(History(runs: [RunRecord(
                id: "r-1", group: "orders", kind: "failover", from: "db-a", to: "db-b", startedAt: date, outcome: "completed",
                steps: [StepRecord(name: "pause-task", startedAt: date, outcome: "ok")])])))),
            (.hold, .success(.done(Acknowledgement(message: "Held group orders.", groups: ["orders"], until: date)))),
            (.switchover, .failure(ControlError(.refused, "No candidate qualifies."))),
        ]
        for (command, reply) in cases {
            let response = ControlResponse(reply, id: "x")
            let decoded = try ControlResponse.decode(Array(response.encodedLine().dropLast()), for: command)
            #expect(decoded == response)
        }
    }

    @Test("An error response has the documented shape")
    func errorShape() {
        let line = ControlResponse(.failure(ControlError(.unknownGroup, "There is no group \"x\".")), id: "7").encodedLine()
        #expect(String(decoding: line, as: UTF8.self)
            == #"{"error":{"code":"unknown-group","message":"There is no group \"x\"."},"id":"7","ok":false,"v":1}"# + "\n")
    }

    @Test("An error code unknown to this version still decodes")
    func futureCode() throws {
        let line = #"{"v":1,"ok":false,"error":{"code":"quorum-lost","message":"m"}}"#
        let response = try ControlResponse.decode(Array(line.utf8), for: .status)
        #expect(response.reply == .failure(ControlError(ControlErrorCode(rawValue: "quorum-lost"), "m")))
    }

    @Test("A response that is not the protocol is a protocol error, not a crash", arguments: [
        "HTTP/1.1 400 Bad Request", #"{"v":1,"ok":true,"result":{"groups":"x"}}"#, #"{"ok":true}"#,
    ])
    func garbageResponse(line: String) {
        #expect(throws: ControlProtocolError.self) { try ControlResponse.decode(Array(line.utf8), for: .status) }
    }

    @Test("Authorisation: root, the daemon's user, the group by gid or by supplementary membership")
    func authorization() {
        let policy = ControlAuthorization(groupName: "dmswitch", groupID: 990, daemonUID: 0)
        let groups: (String, UInt32) -> [UInt32] = { user, primary in user == "alice" ? [primary, 990] : [primary] }
        #expect(policy.allows(ControlPeer(pid: 1, uid: 0, gid: 0, userName: "root"), groupsOf: groups))
        #expect(policy.allows(ControlPeer(pid: 1, uid: 1001, gid: 990, userName: "bob"), groupsOf: groups))
        #expect(policy.allows(ControlPeer(pid: 1, uid: 1000, gid: 1000, userName: "alice"), groupsOf: groups))
        #expect(!policy.allows(ControlPeer(pid: 1, uid: 1002, gid: 1002, userName: "eve"), groupsOf: groups))
        #expect(!policy.allows(ControlPeer(pid: 1, uid: 4000, gid: 4000, userName: nil), groupsOf: groups))
        let rootOnly = ControlAuthorization(groupName: nil, groupID: nil, daemonUID: 0)
        #expect(!rootOnly.allows(ControlPeer(pid: 1, uid: 1001, gid: 990, userName: "bob"), groupsOf: groups))
        #expect(policy.refusal(for: ControlPeer(pid: 1, uid: 1002, gid: 1002, userName: "eve")).message
            == "User eve (uid 1002) may not use the dmswitchd control socket; it is open to root and members of group dmswitch.")
    }

    @Test("A control group that does not exist is a clear error")
    func unknownGroup() {
        let error = #expect(throws: ControlServerError.self) {
            try ControlAuthorization(groupName: "no-such-group-dmswitch")
        }
        #expect(error?.description == "The control socket group \"no-such-group-dmswitch\" does not exist; "
            + "create it (groupadd --system no-such-group-dmswitch) or set another group in the configuration.")
    }
}
