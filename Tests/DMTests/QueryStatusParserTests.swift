import GTID
import Testing

@testable import DM

@Suite("query-status parsing")
struct QueryStatusParserTests {
    typealias F = QueryStatusFixtures

    @Test("A v2+ reply with relay gives gtid-S, the relay GTID, the relay stage and the sub-directory")
    func relayEnabled() throws {
        let report = try DMQueryStatusParser.parse(F.v2WithRelay)
        #expect(report.result)
        let task = try #require(report.tasks(named: "orders").first)
        #expect(task.source == "mysql-replica-01")
        #expect(task.worker == "dm-10.0.0.2-8262")
        #expect(task.stage == .running)
        #expect(task.unit == .sync)
        #expect(task.errors.isEmpty)
        #expect(task.syncerGTID == (try GTIDValue("\(F.uuidA):1-14,\(F.uuidB):1-9428", flavor: .mysql)))
        #expect(task.relayGTID == (try GTIDValue("\(F.uuidA):1-14,\(F.uuidB):1-9431", flavor: .mysql)))
        #expect(task.upstreamGTID == task.relayGTID)
        #expect(task.relayEnabled)
        #expect(task.relayStage == .running)
        #expect(task.relaySubDir == DMRelaySubDir(identity: F.uuidB, suffix: 2))
        #expect(task.synced == false)
        #expect(task.secondsBehind == 2)
        #expect(task.syncerBinlog == "(mysql-bin|000002.000012, 19100)")
        let relay = try #require(report.sources.first?.relay)
        #expect(relay.caughtUp)
        #expect(relay.subDir?.impliedFlavor == .mysql)
    }

    @Test("A source without a worker is reported, not thrown, and MariaDB GTIDs are inferred from the text")
    func workerMissing() throws {
        let report = try DMQueryStatusParser.parse(F.v2NoRelayWorkerMissing)
        #expect(report.sources.count == 2)
        let bound = report.sources[0]
        #expect(bound.hasWorker && bound.result)
        #expect(bound.relay == nil)
        let task = try #require(bound.tasks.first)
        #expect(!task.relayEnabled)
        #expect(task.relayStage == nil && task.relayGTID == nil && task.relaySubDir == nil)
        #expect(task.syncerGTID == (try GTIDValue("0-1-120,1-2-7", flavor: .mariadb)))
        #expect(task.synced == true)
        let missing = report.sources[1]
        #expect(missing.source == "maria-02")
        #expect(!missing.hasWorker)
        #expect(!missing.result)
        #expect(missing.tasks.isEmpty)
        #expect(missing.message?.contains("relevant worker-client not found") == true)
        #expect(DMErrorCodes.find(in: missing.message ?? "") == [38029])
    }

    @Test("DM v8.1+ MariaDB GTIDs with one entry per domain and server parse as one position")
    func mariaDBPerServerEntries() throws {
        let output = F.v2NoRelayWorkerMissing.replacingOccurrences(
            of: #""syncerBinlogGtid": "0-1-120,1-2-7""#, with: #""syncerBinlogGtid": "0-1-120,0-2-57,1-2-7""#)
        let task = try #require(try DMQueryStatusParser.parse(output).tasks.first)
        #expect(task.syncerGTIDText == "0-1-120,0-2-57,1-2-7")
        #expect(task.syncerGTID == (try GTIDValue("0-1-120,0-2-57,1-2-7", flavor: .mariadb)))
        #expect(task.syncerGTID?.flavor == .mariadb)
    }

    @Test("Subtask, relay and source errors are typed with their codes, classes and raw causes")
    func errors() throws {
        let report = try DMQueryStatusParser.parse(F.v2WithErrors)
        let task = try #require(report.tasks.first)
        #expect(task.stage == .paused)
        let error = try #require(task.errors.first)
        #expect(error.code == 36069)
        #expect(error.errorClass == .name("sync-unit"))
        #expect(error.scope == .name("upstream"))
        #expect(error.level == .name("high"))
        #expect(error.message.hasPrefix("get binlog event error: ERROR 1236"))
        #expect(error.workaround?.contains("mysqlbinlog") == true)
        #expect(task.relayStage == .paused)
        #expect(task.relayErrors.map(\.code) == [30044])
        #expect(task.relayErrors.first?.rawCause == nil)
        #expect(task.sourceErrors.map(\.code) == [10001])
        #expect(task.sourceErrors.first?.fullText.contains("connection refused") == true)
        #expect(task.relaySubDir == DMRelaySubDir(identity: "0-2", suffix: 3))
        #expect(task.relayGTID == (try GTIDValue("0-1-128", flavor: .mariadb)))
        #expect(task.syncerGTID == (try GTIDValue("0-1-125", flavor: .mariadb)))
        #expect(task.secondsBehind == 0)
    }

    @Test("A task that has not started on the worker reads as InvalidStage with DM's message")
    func invalidStage() throws {
        let task = try #require(try DMQueryStatusParser.parse(F.v2InvalidStage).tasks.first)
        #expect(task.stage == .invalid)
        #expect(task.unit == .invalid)
        #expect(task.message == "no sub task with name orders has started")
        #expect(task.syncerGTID == nil && task.synced == nil && task.secondsBehind == nil)
    }

    @Test("Units other than Sync have no gtid-S; unknown stages are kept; empty GTIDs take the configured flavor")
    func loadUnitAndUnknownStage() throws {
        let inferred = try DMQueryStatusParser.parse(F.v2LoadAndUnknownStage)
        let archive = try #require(inferred.tasks(named: "archive").first)
        #expect(archive.unit == .load)
        #expect(archive.syncerGTID == nil && archive.syncerGTIDText == nil)
        let fresh = try #require(inferred.tasks(named: "fresh").first)
        #expect(fresh.stage == .other("Draining"))
        #expect(fresh.stage.name == "Draining")
        #expect(fresh.syncerGTIDText == "")
        #expect(fresh.syncerGTID == nil, "an empty GTID of unknown flavor stays unknown")

        let known = try DMQueryStatusParser.parse(F.v2LoadAndUnknownStage, flavors: ["maria-01": .mariadb])
        let knownFresh = try #require(known.tasks(named: "fresh").first)
        #expect(knownFresh.syncerGTID == .empty(.mariadb))
        #expect(knownFresh.upstreamGTID == .empty(.mariadb))
    }

    @Test("DM v1.0 workers[] replies give the relay GTID and no syncer GTID, with v1 errors typed")
    func v1Workers() throws {
        let report = try DMQueryStatusParser.parse(F.v1Workers)
        let source = try #require(report.sources.first)
        #expect(source.source == "mysql-replica-01")
        #expect(source.worker == "10.0.0.2:8262")
        let task = try #require(source.tasks.first)
        #expect(task.syncerGTID == nil && task.syncerGTIDText == nil)
        #expect(task.relayGTID == (try GTIDValue("\(F.uuidA):1-40", flavor: .mysql)))
        #expect(task.relayEnabled)
        #expect(task.relaySubDir == DMRelaySubDir(identity: F.uuidA, suffix: 1))
        #expect(task.secondsBehind == nil)
        #expect(task.errors.count == 2)
        let first = task.errors[0]
        #expect(first.code == 36069)
        #expect(first.errorClass == .number(9))
        #expect(first.scope == .number(2))
        #expect(first.level == .number(3))
        #expect(first.type == "UnknownError")
        #expect(first.fullText.contains("Could not find first log file name"))
        let second = task.errors[1]
        #expect(second.code == nil)
        #expect(second.type == "ExecSQL")
        #expect(second.message.hasPrefix("execute statement failed"))
    }

    @Test("An unknown task gives result false with DM's message and no sources")
    func taskNotExist() throws {
        let report = try DMQueryStatusParser.parse(F.v2TaskNotExist)
        #expect(!report.result)
        #expect(report.message == "task orders has no source or not exist")
        #expect(report.sources.isEmpty)
    }

    @Test("The summary form lists tasks sorted by name with DM's status text", arguments: [
        (Fixture("v2 summary", F.v2Summary), ["archive", "billing", "orders"]),
        (Fixture("v1 summary", F.v1Summary), ["orders"]),
    ])
    func summary(output: Fixture, names: [String]) throws {
        let list = try DMTaskListParser.parse(output.text)
        #expect(list.result)
        #expect(list.tasks.map(\.name) == names)
        if names.count == 3 {
            #expect(list.tasks[0].stage == .paused)
            #expect(list.tasks[1].hasError && list.tasks[1].stage == nil)
            #expect(list.tasks[2].sources == ["mysql-replica-01", "mysql-replica-02"])
        } else {
            #expect(list.tasks[0].sources == ["10.0.0.2:8262"])
        }
    }

    @Test("Without the summary form the task list is derived from the full reply by DM's rules", arguments: [
        (Fixture("with relay", F.v2WithRelay), "orders", "Running"),
        (Fixture("with errors", F.v2WithErrors), "orders", "Error - Some error occurred in subtask."),
        (Fixture("invalid stage", F.v2InvalidStage), "orders", "Running"),
    ])
    func derivedSummary(output: Fixture, task: String, status: String) throws {
        let list = try DMTaskListParser.parse(output.text)
        #expect(list.tasks.map(\.name) == [task])
        #expect(list.tasks.first?.status == status)
    }

    @Test("Relay sub-directories split into identity and suffix", arguments: [
        ("0-1.000001", "0-1", 1, GTIDFlavor?.some(.mariadb)),
        ("0-10.000012", "0-10", 12, .mariadb),
        ("3a1f5c2e-7b44-11ee-9a01-0242ac120002.000003", "3a1f5c2e-7b44-11ee-9a01-0242ac120002", 3, .mysql),
        ("custom.name.000004", "custom.name", 4, nil),
    ])
    func relaySubDir(text: String, identity: String, suffix: Int, flavor: GTIDFlavor?) throws {
        let subDir = try #require(DMRelaySubDir(text))
        #expect(subDir.identity == identity)
        #expect(subDir.suffix == suffix)
        #expect(subDir.impliedFlavor == flavor)
        #expect(subDir.description == text)
    }

    @Test("Text that is not a relay sub-directory is refused", arguments: ["", "0-1", ".000001", "0-1.", "0-1.00a001"])
    func badRelaySubDir(text: String) {
        #expect(DMRelaySubDir(text) == nil)
    }

    @Test("Stage and unit names round-trip, and unknown names are kept", arguments: [
        "InvalidStage", "New", "Running", "Paused", "Stopped", "Finished", "Pausing", "Resuming", "Stopping", "Frozen",
    ])
    func stageNames(name: String) {
        #expect(DMStage(name: name).name == name)
        #expect(DMUnit(name: name).name == name)
    }
}
