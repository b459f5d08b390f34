extension DMSwitchConfiguration.Group {
    /// DM limits a source-id to 32 characters (DM source configuration, `source-id`).
    static let maximumSourceIDLength = 32

    /// What reading one `[[group]]` yields: the group if it is valid, and the located values
    /// the checks across groups compare.
    struct Reading {
        var group: DMSwitchConfiguration.Group?
        var label: GroupLabel
        var location: SourceLocation?
        var sourceID: Located<String>?
        var vip: Located<HostPort>?
        var workerAddress: Located<HostPort>?
        var instanceAddresses: [Located<HostPort>]
    }

    /// Reads one `[[group]]` (`number` counts from 1). `generation` is `nil` when `[dm]
    /// version` is itself invalid; the version-dependent requirements are skipped then.
    static func read(
        _ table: TOMLTable, number: Int, generation: DMVersion.Generation?, context: SchemaContext
    ) -> Reading {
        var label = GroupLabel(name: "[[group]] #\(number)", keyPath: "group[\(number)]")
        if case .string(let text)? = table.entry("source-id")?.node.value,
            TableReader.nameProblem(text, maximumLength: maximumSourceIDLength) == nil
        {
            label.name = "[[group]] \(TOMLKey.quoted(text))"
        }
        var reader = TableReader(table: table, name: label.name, keyPath: label.keyPath, context: context)
        let sourceID = reader.name("source-id", required: true, maximumLength: maximumSourceIDLength)
        let scenario: Scenario? = reader.choice("scenario", required: true)
        let vip = reader.hostPort("vip")
        let vipMoveCommand = reader.command("vip-move-command")
        let vipMoveTimeout = reader.duration("vip-move-timeout", default: .seconds(30), range: .seconds(1)...(.seconds(3600)))
        let sourceFile = reader.path("source-file", reference: .rewritable)
        let taskFiles = reader.paths("task-files", reference: .readable)
        let inventoryFile = reader.path("inventory-file", reference: .rewritable)
        let rollingUpdateCommand = reader.command("rolling-update-command")
        let workerAlias = reader.name("worker-alias", maximumLength: 64)
        let workerAddress = reader.hostPort("worker-addr")
        let tasks = readTasks(&reader)
        let instances = readInstances(&reader, label: label, context: context)
        reader.reportUnknownKeys()
        checkRequirements(&reader, scenario: scenario, generation: generation)

        var reading = Reading(
            group: nil, label: label, location: table.headerLocation, sourceID: sourceID, vip: vip,
            workerAddress: workerAddress, instanceAddresses: instances.compactMap(\.address))
        let keys = ScenarioKeys(
            vip: vip?.value, vipMoveCommand: vipMoveCommand?.value, vipMoveTimeout: vipMoveTimeout,
            sourceFile: sourceFile?.value, taskFiles: taskFiles, inventoryFile: inventoryFile?.value,
            rollingUpdateCommand: rollingUpdateCommand?.value, workerAlias: workerAlias?.value)
        let switching = keys.switching(scenario: scenario, generation: generation)
        let validInstances = instances.compactMap(\.instance)
        guard let sourceID, let switching, validInstances.count == instances.count, instances.count >= 2 else {
            return reading
        }
        if generation == .v1, workerAddress == nil { return reading }
        reading.group = Self(
            sourceID: sourceID.value, switching: switching, workerAddress: workerAddress?.value,
            tasks: tasks, instances: validInstances)
        return reading
    }

    /// The scenario-specific keys as read, before they are known to fit together.
    private struct ScenarioKeys {
        var vip: HostPort?
        var vipMoveCommand: ExternalCommand?
        var vipMoveTimeout: Duration
        var sourceFile: String?
        var taskFiles: [String]?
        var inventoryFile: String?
        var rollingUpdateCommand: ExternalCommand?
        var workerAlias: String?

        /// The switching settings, when every key the scenario and DM generation need is valid.
        func switching(scenario: Scenario?, generation: DMVersion.Generation?) -> DMSwitchConfiguration.Switching? {
            switch (scenario, generation) {
            case (.vip?, _):
                guard let vip, let vipMoveCommand else { return nil }
                return .vip(DMSwitchConfiguration.VIP(address: vip, moveCommand: vipMoveCommand, moveTimeout: vipMoveTimeout))
            case (.address?, .v2plus?):
                guard let taskFiles, let sourceFile else { return nil }
                return .address(DMSwitchConfiguration.AddressChange(taskFiles: taskFiles, repoint: .sourceFile(sourceFile)))
            case (.address?, .v1?):
                guard let taskFiles, let inventoryFile, let rollingUpdateCommand, let workerAlias else { return nil }
                let ansible = DMSwitchConfiguration.DMAnsible(
                    inventoryFile: inventoryFile, rollingUpdateCommand: rollingUpdateCommand, workerAlias: workerAlias)
                return .address(DMSwitchConfiguration.AddressChange(taskFiles: taskFiles, repoint: .dmAnsible(ansible)))
            default:
                return nil
            }
        }
    }

    /// The keys each scenario and DM generation needs, and the ones they make meaningless.
    private static func checkRequirements(
        _ reader: inout TableReader, scenario: Scenario?, generation: DMVersion.Generation?
    ) {
        let vipKeys = ["vip", "vip-move-command"]
        let addressV2Keys = ["source-file"]
        let addressV1Keys = ["inventory-file", "rolling-update-command", "worker-alias"]
        func require(_ keys: [String], because reason: String) {
            for key in keys where reader.table?.entry(key) == nil {
                reader.missing(key, because: reason)
            }
        }
        func forbid(_ keys: [String], appliesOnlyTo condition: String) {
            for key in keys {
                reader.inapplicable(key, appliesOnlyTo: condition)
            }
        }
        switch scenario {
        case .vip?:
            require(vipKeys, because: "scenario \"vip\" needs it")
            forbid(["task-files"], appliesOnlyTo: "scenario \"address\"")
            forbid(addressV2Keys, appliesOnlyTo: "scenario \"address\" with DM v2+")
            forbid(addressV1Keys, appliesOnlyTo: "scenario \"address\" with DM v1")
        case .address?:
            forbid(vipKeys + ["vip-move-timeout"], appliesOnlyTo: "scenario \"vip\"")
            require(["task-files"], because: "scenario \"address\" needs it")
            switch generation {
            case .v2plus?:
                require(addressV2Keys, because: "scenario \"address\" with DM v2+ needs it")
                forbid(addressV1Keys, appliesOnlyTo: "scenario \"address\" with DM v1")
            case .v1?:
                require(addressV1Keys, because: "scenario \"address\" with DM v1 needs it")
                forbid(addressV2Keys, appliesOnlyTo: "scenario \"address\" with DM v2+")
            case nil:
                break
            }
        case nil:
            break
        }
        switch generation {
        case .v1?:
            require(["worker-addr"], because: "DM v1 needs it (the DM-worker address dmctl's -w takes)")
        case .v2plus?:
            forbid(["worker-addr"], appliesOnlyTo: "DM v1")
        case nil:
            break
        }
    }

    /// The optional task filter: task names, at least one, none repeated.
    private static func readTasks(_ reader: inout TableReader) -> [String]? {
        let key = "tasks"
        guard let list = reader.stringArray(key, expected: "an array of task names") else { return nil }
        var valid = true
        for (offset, element) in list.value.enumerated() {
            if let problem = TableReader.nameProblem(element.value, maximumLength: 128) {
                reader.error("element \(offset + 1) of \(reader.describe(key)) \(problem)", at: element.location, key: key)
                valid = false
            }
        }
        valid = reader.reportRepeats(key, list.value, display: { $0 }) && valid
        return valid ? list.value.map(\.value) : nil
    }

    /// The `[[group.instance]]` tables: at least two, names unique, not all excluded.
    private static func readInstances(
        _ reader: inout TableReader, label: GroupLabel, context: SchemaContext
    ) -> [DMSwitchConfiguration.Instance.Reading] {
        let key = "instance"
        guard let found = reader.entry(key) else {
            reader.error(
                "\(label.name) needs at least 2 [[group.instance]] tables, found none", at: reader.location, key: key)
            return []
        }
        guard case .tableArray(let tables) = found.node.value else {
            reader.error(
                "\(reader.describe(key)) must be an array of tables written [[group.instance]], "
                    + "found \(found.node.value.summary)",
                at: found.node.location, key: key)
            return []
        }
        let readings = tables.enumerated().map { offset, table in
            DMSwitchConfiguration.Instance.read(table, number: offset + 1, group: label, context: context)
        }
        if readings.count < 2 {
            reader.error(
                "\(label.name) needs at least 2 [[group.instance]] tables, found \(readings.count)",
                at: reader.location, key: key)
        }
        var names = FirstSeen<String, SourceLocation>()
        for reading in readings {
            guard let name = reading.name, let first = names.earlier(name.value, at: name.location) else { continue }
            reader.error(
                "instance name \(TOMLKey.quoted(name.value)) is used twice in \(label.name); "
                    + "it was first used at line \(first.line)",
                at: name.location, key: "instance")
        }
        let instances = readings.compactMap(\.instance)
        if instances.count == readings.count, instances.count >= 2, instances.allSatisfy(\.noFailover) {
            reader.error(
                "every [[group.instance]] of \(label.name) has no-failover = true, so none could become the upstream",
                at: reader.location, key: key)
        }
        return readings
    }
}
