import Synchronization
import Dispatch
import Failover
import Foundation
import Posix
import Testing
@testable import RunJournal

@Suite("RunJournal: the journal on disk")
struct RunJournalTests {
    static let t0 = Instant(millisecondsSinceEpoch: 1_700_000_000_000)
    static let db1 = InstanceAddress(host: "db1", port: 3306)
    static let db2 = InstanceAddress(host: "db2", port: 3306)

    static let header: RunHeader = {
        let tasks = [TaskSpec(name: "orders", file: "tasks/orders.yaml")]
        let plan = RunbookPlan(from: db1, to: db2, toIdentity: "id-db2", tasks: tasks)
        return RunHeader(
            id: RunID("r-1"), group: "g", kind: .failover, from: db1, to: db2, toIdentity: "id-db2",
            runbook: Runbook.make(.v2VIP, plan: plan), tasks: tasks, reason: "Upstream db1:3306 is down.", startedAt: t0)
    }()

    static func intent(_ index: Int) -> JournalRecord {
        .stepIntent(StepRecord(run: header.id, stage: .forward, index: index, step: header.steps[index], attempt: 1, at: t0 + .seconds(index)))
    }

    static let hold = Hold(scope: .group("g"), kind: .operator, reason: "maintenance", owner: "alice", placedAt: t0)
    static let cooldown = Cooldown(group: "g", run: RunID("r-0"), until: t0 + .seconds(3600))

    @Test("Records appended are there after reopening, and replay to the same state")
    func reopen() throws {
        let directory = try TemporaryDirectory()
        let (journal, loaded) = try RunJournal.open(directory: directory.path)
        #expect(loaded.replayed == ReplayedState() && loaded.notes.isEmpty)
        for record in [JournalRecord.holdPlaced(Self.hold), .cooldownStarted(Self.cooldown, at: Self.t0), .runStarted(Self.header), Self.intent(0)] {
            try journal.append(record)
        }
        let before = journal.replayed
        journal.close()
        let (again, reloaded) = try RunJournal.open(directory: directory.path)
        #expect(reloaded.replayed == before)
        #expect(reloaded.replayed.unfinishedRuns.first?.header == Self.header)
        #expect(reloaded.replayed.holds == [Self.hold])
        #expect(String(decoding: try directory.contents("journal.log"), as: UTF8.self).split(separator: "\n").count == 4)
        again.close()
    }

    @Test("A torn last line (crash mid-write) is ignored with a note and cut off", arguments: [
        Array(#"{"v":1,"type":"step-intent","at":17000"#.utf8),
        [UInt8](repeating: 0, count: 37),
    ])
    func tornLine(_ tail: [UInt8]) throws {
        let directory = try TemporaryDirectory()
        do {
            let (journal, _) = try RunJournal.open(directory: directory.path)
            try journal.append(.runStarted(Self.header))
            try journal.append(Self.intent(0))
        }
        let intact = try directory.contents("journal.log").count
        try directory.appendRaw(tail, to: "journal.log")
        let (journal, loaded) = try RunJournal.open(directory: directory.path)
        #expect(loaded.notes == ["The last line of the journal \"\(directory.path)/journal.log\" was cut off by a crash mid-write (\(tail.count) bytes without a newline); it is ignored."])
        #expect(loaded.replayed.unfinishedRuns.first?.forward[0]?.result == nil)
        #expect(try directory.contents("journal.log").count == intact, "the torn tail is cut off")
        try journal.append(Self.intent(1))
        journal.close()
        let (_, reloaded) = try RunJournal.open(directory: directory.path)
        #expect(reloaded.notes.isEmpty)
        #expect(reloaded.replayed.unfinishedRuns.first?.forward.keys.sorted() == [0, 1], "the next record starts on its own line")
    }

    @Test("A damaged complete line refuses the journal, naming the line", arguments: [
        ("garbage", "the line is not valid JSON: expected a value at byte 0."),
        (#"{"v":2,"type":"decision","at":1}"#, "it has format version 2, and this dmswitchd reads version 1."),
    ])
    func damagedLine(_ line: String, _ reason: String) throws {
        let directory = try TemporaryDirectory()
        do {
            let (journal, _) = try RunJournal.open(directory: directory.path)
            try journal.append(.holdPlaced(Self.hold))
        }
        try directory.appendRaw(Array((line + "\n" + JournalRecord.acknowledged(group: "g", by: "a", at: Self.t0).line + "\n").utf8), to: "journal.log")
        let path = directory.path + "/journal.log"
        #expect(throws: RunJournalError.damagedLine(path: path, line: 2, reason: "The journal record cannot be read: \(reason)")) {
            _ = try RunJournal.open(directory: directory.path)
        }
        let error = RunJournalError.damagedLine(path: path, line: 2, reason: "The journal record cannot be read: \(reason)")
        #expect(error.description.hasPrefix("The journal \"\(path)\" is damaged at line 2: The journal record cannot be read:"))
        #expect(error.description.hasSuffix("dmswitchd does not start on a damaged journal; read the line, then move the file aside."))
    }

    @Test("A failed write is reported with its errno, not swallowed")
    func failedWrite() throws {
        let fd = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(throws: Errno(28, "write \"journal.log\"")) { try FileIO.appendDurably(fd, Array("line\n".utf8), path: "journal.log") }
        #expect(RunJournalError.system(Errno(28, "write \"x\"")).description == "Could not write \"x\": No space left on device (errno 28).")
    }

    @Test("A journal path that is not a regular file is refused")
    func notAFile() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/journal.log", withDestinationPath: "/dev/zero")
        #expect(throws: RunJournalError.notAFile(path: directory.path + "/journal.log")) { _ = try RunJournal.open(directory: directory.path) }
    }

    @Test("A missing state directory is a clear error")
    func missingDirectory() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path + "/absent"
        do {
            _ = try RunJournal.open(directory: missing)
            Issue.record("opened a journal in a missing directory")
        } catch {
            #expect(error.description == "Could not open \"\(missing)/journal.log\" for appending: No such file or directory (errno 2).")
        }
    }

    @Test("After close, appends fail instead of vanishing")
    func closed() throws {
        let directory = try TemporaryDirectory()
        let (journal, _) = try RunJournal.open(directory: directory.path)
        journal.close()
        #expect(throws: RunJournalError.closed(path: directory.path + "/journal.log")) { try journal.append(.holdPlaced(Self.hold)) }
    }

    @Test("Rotation keeps the state in an atomic snapshot and the old journal for history, never mid-run")
    func rotation() throws {
        let directory = try TemporaryDirectory()
        let (journal, _) = try RunJournal.open(directory: directory.path, rotateAtBytes: 200)
        try journal.append(.holdPlaced(Self.hold))
        try journal.append(.cooldownStarted(Self.cooldown, at: Self.t0))
        try journal.append(.upstreamLearned(group: "g", instance: Self.db2, at: Self.t0))
        try journal.append(.runStarted(Self.header))
        #expect(try journal.rotateIfNeeded(at: Self.t0) == false, "a run is unfinished")
        try journal.append(.runFinished(run: Self.header.id, outcome: .completed, at: Self.t0))
        let before = journal.replayed
        #expect(try journal.rotateIfNeeded(at: Self.t0 + .seconds(5)))
        #expect(try directory.files() == ["journal.1.log", "journal.log", "state.snapshot"], "no temporary file is left")
        #expect(try directory.contents("journal.log").isEmpty)
        try journal.append(.acknowledged(group: "g", by: "bob", at: Self.t0))
        #expect(try journal.rotateIfNeeded(at: Self.t0) == false, "small again")
        let history = try journal.history()
        #expect(history.count == 6)
        #expect(history.last == .acknowledged(group: "g", by: "bob", at: Self.t0))
        journal.close()
        let (_, reloaded) = try RunJournal.open(directory: directory.path)
        #expect(reloaded.replayed.holds == before.holds)
        #expect(reloaded.replayed.upstreams == before.upstreams)
        #expect(reloaded.replayed.cooldowns.isEmpty, "acknowledged after the rotation")
    }

    @Test("A crash between writing the snapshot and renaming the journal replays to the same state")
    func snapshotOverlap() throws {
        let directory = try TemporaryDirectory()
        let (journal, _) = try RunJournal.open(directory: directory.path)
        try journal.append(.holdPlaced(Self.hold))
        try journal.append(.upstreamLearned(group: "g", instance: Self.db2, at: Self.t0))
        let before = journal.replayed
        journal.close()
        try AtomicFile.write(path: directory.path + "/state.snapshot", contents: JournalText.lines(RunJournal.snapshotRecords(before, at: Self.t0)))
        let (_, reloaded) = try RunJournal.open(directory: directory.path)
        #expect(reloaded.replayed == before)
    }

    @Test("Appends from several threads never interleave within a line")
    func concurrentAppends() throws {
        let directory = try TemporaryDirectory()
        let (journal, _) = try RunJournal.open(directory: directory.path)
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for n in 0..<25 {
                let decision = Decision(.info, code: "w\(worker)", group: "g", "Record \(n) of worker \(worker), " + String(repeating: "x", count: 200))
                do {
                    try journal.append(.decision(decision, at: Self.t0))
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        journal.close()
        let history = try RunJournal.open(directory: directory.path).journal.history()
        #expect(history.count == 100)
    }

    @Test("An unfinished run read back from disk resumes by verifying DM, never by performing")
    func resumeFromDisk() throws {
        let directory = try TemporaryDirectory()
        do {
            let (journal, _) = try RunJournal.open(directory: directory.path)
            try journal.append(.runStarted(Self.header))
            for index in 0..<2 {
                let step = StepRecord(run: Self.header.id, stage: .forward, index: index, step: Self.header.steps[index], attempt: 1, at: Self.t0)
                try journal.append(.stepIntent(step))
                try journal.append(.stepOutcome(step, .succeeded, detail: ""))
            }
            try journal.append(Self.intent(2))
        }
        let (_, loaded) = try RunJournal.open(directory: directory.path)
        let unfinished = try #require(loaded.replayed.unfinishedRuns.first)
        let settings = GroupSettings(name: "g", instances: [InstanceSpec(address: Self.db1), InstanceSpec(address: Self.db2)], tasks: [], dm: .v2, repoint: .vip(InstanceAddress(host: "vip", port: 3306)))
        var machine = RunMachine(resuming: unfinished, settings: settings)
        let actions = machine.start(at: Self.t0 + .seconds(60))
        #expect(machine.currentStep == .pauseTask("orders"))
        #expect(!actions.contains { if case .execute = $0 { true } else { false } })
        #expect(actions.contains { if case .gather(_, EvidenceRequest(dmStatus: true), _) = $0 { true } else { false } })
    }
}
