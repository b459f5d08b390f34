import GTID
import Testing
@testable import Failover

@Suite("Journal records: a stable, versioned line per record")
struct JournalCodecTests {
    static let header: RunHeader = {
        let plan = RunbookPlan(from: .db1, to: .db2, toIdentity: "id-db2", tasks: [TaskSpec(name: "orders", file: "tasks/orders.yaml")])
        return RunHeader(
            id: RunID("r1"), group: "g", kind: .switchover, from: .db1, to: .db2, toIdentity: "id-db2",
            runbook: Runbook.make(.v2Address, plan: plan), tasks: plan.tasks, reason: "Operator \"alice\" asked.\nTwice.",
            requestedBy: "alice", startedAt: t0)
    }()

    static let everyStep: [StepKind] = [
        .queryStatus, .check, .pauseTask("o"), .recheck, .pauseRelay, .moveVIP(from: .db1, to: .db2),
        .verifyIdentityThroughVIP(expected: "id"), .switchRelayMaster, .resumeRelay, .resumeTask("o"), .stopTask("o"),
        .operateSourceStop, .rewriteSourceFile(InstanceAddress(host: "::1", port: 3307)), .operateSourceCreate,
        .startTask(name: "o", file: "t/o.yaml"), .rewriteInventory(.db3), .runRollingUpdate, .verifyRunning,
    ]

    static let records: [JournalRecord] = {
        let failures: [RunFailure] = [
            .checkRefused(step: "recheck", verdict: "Refused db2:3306: …"), .stepFailed(step: "move-vip", attempts: 3, error: "hook exited 1"),
            .journalUnavailable("ENOSPC"),
        ]
        var records: [JournalRecord] = [.runStarted(header)]
        for (index, step) in everyStep.enumerated() {
            let record = StepRecord(run: RunID("r1"), stage: index % 2 == 0 ? .forward : .restore, index: index, step: step, attempt: 1 + index % 3, at: t0 + .seconds(index))
            records.append(.stepIntent(record))
        }
        let record = StepRecord(run: RunID("r1"), stage: .forward, index: 2, step: .pauseTask("o"), attempt: 2, at: t0)
        records += [
            .stepOutcome(record, .succeeded, detail: "the syncer checkpoint of task o: \(UUID.a):1-100"),
            .stepOutcome(record, .alreadyDone, detail: ""),
            .stepOutcome(record, .failed("Task o is Running, not Paused.", retryAt: t0 + .seconds(2)), detail: ""),
            .stepOutcome(record, .failed("gave up", retryAt: nil), detail: ""),
            .stepOutcome(record, .refused("Refused db2:3306."), detail: ""),
            .runAborting(run: RunID("r1"), failure: failures[0], restoreSteps: [.resumeRelay, .resumeTask("o"), .startTask(name: "o", file: "f")], at: t0),
            .runFinished(run: RunID("r1"), outcome: .completed, at: t0),
            .runFinished(run: RunID("r1"), outcome: .failedAfterRepoint(failures[1]), at: t0),
            .decision(Decision(.warning, code: "no-eligible-candidate", group: "g", run: nil, step: nil, "No eligible candidate."), at: t0),
            .decision(Decision(.info, code: "x", group: nil, run: RunID("r1"), step: "check", "tab\there"), at: t0),
            .holdPlaced(Hold(scope: .global, kind: .operator, reason: "upgrade", owner: "alice", placedAt: t0, expiresAt: t0 + .seconds(3600))),
            .holdPlaced(Hold(scope: .group("g"), kind: .safety, reason: "run r1 failed", owner: "dmswitchd", placedAt: t0)),
            .holdReleased(scope: .group("g"), kind: nil, by: "bob", at: t0),
            .holdReleased(scope: .global, kind: .operator, by: "expiry", at: t0),
            .cooldownStarted(Cooldown(group: "g", run: RunID("r1"), until: t0 + .seconds(3600)), at: t0),
            .acknowledged(group: "g", by: "carol", at: t0),
            .upstreamLearned(group: "g", instance: .db2, at: t0),
        ]
        for failure in failures {
            for dm in [DMRestoration.untouched, .restored, .leftPaused("connection refused."), .restoreFailed("could not resume")] {
                records.append(.runFinished(run: RunID("r1"), outcome: .abortedBeforeRepoint(failure, dm: dm), at: t0))
            }
        }
        return records
    }()

    @Test("Every kind of record survives its text form")
    func roundTrip() throws {
        for record in Self.records {
            let line = record.line
            #expect(!line.contains("\n"), "one line: \(line)")
            #expect(try JournalRecord(line: line) == record, "\(line)")
        }
    }

    @Test("Every record of every run scenario survives its text form", arguments: Scenario.all)
    func scenarioJournals(_ scenario: Scenario) throws {
        var driver = try scenario.driver()
        driver.run()
        #expect(driver.journal.count > 10)
    }

    @Test("A line is stable: version first, then type and instant, optional fields left out")
    func stableLine() {
        let record = JournalRecord.stepOutcome(
            StepRecord(run: RunID("r1"), stage: .forward, index: 5, step: .moveVIP(from: .db1, to: .db2), attempt: 1, at: t0),
            .failed("hook \"move-vip\" exited 1", retryAt: t0 + .seconds(2)), detail: "")
        #expect(record.line == #"{"v":1,"type":"step-outcome","at":1700000000000,"run":"r1","stage":"forward","index":5,"attempt":1,"step":{"step":"move-vip","from":{"host":"db1","port":3306},"to":{"host":"db2","port":3306}},"result":"failed","error":"hook \"move-vip\" exited 1","retry-at":1700000002000}"#)
        let hold = JournalRecord.holdPlaced(Hold(scope: .global, kind: .operator, reason: "r", owner: "o", placedAt: t0))
        #expect(hold.line == #"{"v":1,"type":"hold-placed","at":1700000000000,"kind":"operator","reason":"r","owner":"o"}"#)
    }

    @Test("Lines that are not records are refused with a sentence naming why", arguments: [
        ("not json", "The journal record cannot be read: the line is not valid JSON: expected \"null\" at byte 0."),
        (#"{"v":2,"type":"decision","at":1}"#, "The journal record cannot be read: it has format version 2, and this dmswitchd reads version 1."),
        (#"{"v":1,"type":"teleport","at":1}"#, "The journal record cannot be read: record type \"teleport\" is unknown."),
        (#"{"v":1,"type":"acknowledged","at":1,"group":"g"}"#, "The journal record cannot be read: the record has no \"by\"."),
        (#"{"v":1,"type":"acknowledged","at":"soon","group":"g","by":"x"}"#, "The journal record cannot be read: \"at\" of the record is not an integer."),
        (#"{"v":1,"type":"upstream-learned","at":1,"group":"g","instance":{"host":"h","port":70000}}"#, "The journal record cannot be read: port 70000 of \"instance\" is out of range."),
        (#"{"v":1,"type":"acknowledged","at":1,"group":"g","by":"x"} trailing"#, "The journal record cannot be read: the line is not valid JSON: expected the end of the line at byte 58."),
        (#"{"v":1,"type":"acknowledged","at":1,"group":"g","by":"x"#, "The journal record cannot be read: the line is not valid JSON: expected the closing quote of a string at byte 55."),
    ])
    func refused(_ line: String, _ sentence: String) {
        #expect(throws: JournalDecodingError.self) { try JournalRecord(line: line) }
        do {
            _ = try JournalRecord(line: line)
        } catch {
            #expect(error.description == sentence)
        }
    }

    @Test("The JSON subset: escapes, unicode, nesting, integers")
    func json() throws {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{07} snow ☃ emoji 🎉"
        let value = JSONValue.object([JSONField("s", .string(text)), JSONField("n", .integer(-42)), JSONField("a", .array([.bool(true), .null, .array([])]))])
        #expect(try JSONValue.parse(value.encoded) == value)
        #expect(value.encoded.contains(#"\u0007"#))
        #expect(try JSONValue.parse(#" { "k" : [ 1 , "\u00e9\/" ] } "#) == .object([JSONField("k", .array([.integer(1), .string("é/")]))]))
        #expect(throws: JSONParseError.self) { try JSONValue.parse(String(repeating: "[", count: 40) + String(repeating: "]", count: 40)) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("99999999999999999999") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("\"raw\u{01}control\"") }
    }
}
