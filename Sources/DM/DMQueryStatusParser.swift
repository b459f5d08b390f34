import GTID

/// Parses `query-status` replies: the full form of DM v2+ (`sources[]`) and v1.0 (`workers[]`).
///
/// The GTID fields are read with the source's flavor from `flavors` (by `source-id`) when the
/// daemon knows it, and inferred from the text otherwise (see `DMGTIDField`).
public enum DMQueryStatusParser {
    static let expected = "query-status reply"

    /// Parses dmctl's standard output of `query-status <task>` or `query-status -s <source>`.
    public static func parse(_ output: String, flavors: [String: GTIDFlavor] = [:]) throws(DMOutputError) -> DMStatusReport {
        let root = try DMCtlJSON.decode(output, expected: expected)
        do {
            return try report(root, flavors: flavors)
        } catch {
            throw error.output(output, expected: expected)
        }
    }

    static func report(_ root: JSONCursor, flavors: [String: GTIDFlavor]) throws(JSONShapeError) -> DMStatusReport {
        let result = try root.bool("result")
        let message = try root.message("msg")
        var sources: [DMSourceReport] = []
        if try root.has("sources") {
            for element in try root.requiredArray("sources") {
                sources.append(try sourceReport(element, flavors: flavors))
            }
        } else if try root.has("workers") {
            for element in try root.requiredArray("workers") {
                sources.append(try legacyWorkerReport(element, flavors: flavors))
            }
        } else if result {
            // A true result always comes with `sources` (v2+) or `workers` (v1.0); a false one
            // may carry only `msg` (e.g. "task t1 has no source or not exist").
            throw JSONShapeError(path: "sources", problem: "is missing (and so is `workers`)")
        }
        return DMStatusReport(result: result, message: message, sources: sources)
    }

    /// One v2+ `QueryStatusResponse`: `{result, msg, sourceStatus, subTaskStatus[]}`.
    static func sourceReport(_ element: JSONCursor, flavors: [String: GTIDFlavor]) throws(JSONShapeError) -> DMSourceReport {
        let result = try element.bool("result")
        let message = try element.message("msg")
        // A failed element may lack `sourceStatus` in replies built by older masters; a
        // successful one needs it to say which source and worker it describes.
        let status: JSONCursor
        if result {
            status = try element.requiredObject("sourceStatus")
        } else if let present = try element.optionalObject("sourceStatus") {
            status = present
        } else {
            return DMSourceReport(source: "", worker: "", result: false, message: message)
        }
        let source = try status.optionalString("source") ?? ""
        let worker = try status.optionalString("worker") ?? ""
        let sourceErrors = try DMProcessError.parseResult(try status.optionalObject("result"))
        return try assemble(
            source: source, worker: worker, result: result, message: message, sourceErrors: sourceErrors,
            relayElement: try status.optionalObject("relayStatus"), tasks: try element.array("subTaskStatus"),
            syncerGTIDMeaningful: true, flavors: flavors)
    }

    /// One v1.0 worker element: `{result, worker, msg, subTaskStatus[], relayStatus, sourceID}`.
    static func legacyWorkerReport(_ element: JSONCursor, flavors: [String: GTIDFlavor]) throws(JSONShapeError) -> DMSourceReport {
        try assemble(
            source: try element.optionalString("sourceID") ?? "", worker: try element.optionalString("worker") ?? "",
            result: try element.bool("result"), message: try element.message("msg"), sourceErrors: [],
            relayElement: try element.optionalObject("relayStatus"), tasks: try element.array("subTaskStatus"),
            syncerGTIDMeaningful: false, flavors: flavors)
    }

    private static func assemble(
        source: String, worker: String, result: Bool, message: String?, sourceErrors: [DMProcessError],
        relayElement: JSONCursor?, tasks taskElements: [JSONCursor], syncerGTIDMeaningful: Bool,
        flavors: [String: GTIDFlavor]
    ) throws(JSONShapeError) -> DMSourceReport {
        let flavor = try sourceFlavor(known: flavors[source], relay: relayElement, tasks: taskElements)
        let relay = try relayElement.map { (element) throws(JSONShapeError) in try relayStatus(element, flavor: flavor) }
        var tasks: [DMTaskStatus] = []
        for element in taskElements {
            var task = try taskStatus(element, flavor: flavor, syncerGTIDMeaningful: syncerGTIDMeaningful)
            task.source = source
            task.worker = worker
            task.relayEnabled = relay != nil
            task.relayStage = relay?.stage
            task.relayGTID = relay?.relayGTID
            task.relaySubDir = relay?.subDir
            task.relayErrors = relay?.errors ?? []
            task.sourceErrors = sourceErrors
            tasks.append(task)
        }
        return DMSourceReport(
            source: source, worker: worker, result: result, message: message, sourceErrors: sourceErrors,
            relay: relay, tasks: tasks)
    }

    /// The flavor for one element: configured, else implied by any GTID text or the relay sub-directory.
    private static func sourceFlavor(known: GTIDFlavor?, relay: JSONCursor?, tasks: [JSONCursor]) throws(JSONShapeError) -> GTIDFlavor? {
        if let known { return known }
        var texts: [String?] = []
        if let relay {
            texts.append(try relay.optionalString("relayBinlogGtid"))
            texts.append(try relay.optionalString("masterBinlogGtid"))
        }
        for task in tasks {
            if let sync = try task.optionalObject("sync") {
                texts.append(try sync.optionalString("syncerBinlogGtid"))
                texts.append(try sync.optionalString("masterBinlogGtid"))
            }
        }
        let subDir = try relay?.optionalString("relaySubDir").flatMap { DMRelaySubDir($0) }
        return DMGTIDField.resolveFlavor(known: nil, texts: texts, subDir: subDir)
    }

    static func relayStatus(_ element: JSONCursor, flavor: GTIDFlavor?) throws(JSONShapeError) -> DMRelayStatus {
        let relayText = try element.optionalString("relayBinlogGtid") ?? ""
        return DMRelayStatus(
            stage: DMStage(name: try element.string("stage")),
            upstreamBinlog: try element.optionalString("masterBinlog") ?? "",
            upstreamGTID: try gtid(element, "masterBinlogGtid", flavor: flavor),
            relayBinlog: try element.optionalString("relayBinlog") ?? "",
            relayGTID: try gtid(element, "relayBinlogGtid", flavor: flavor),
            relayGTIDText: relayText,
            subDir: try subDir(element),
            caughtUp: try element.bool("relayCatchUpMaster"),
            errors: try DMProcessError.parseResult(try element.optionalObject("result")))
    }

    private static func subDir(_ element: JSONCursor) throws(JSONShapeError) -> DMRelaySubDir? {
        guard let text = try element.optionalString("relaySubDir"), !text.isEmpty else { return nil }
        guard let subDir = DMRelaySubDir(text) else {
            throw JSONShapeError(path: "\(element.path).relaySubDir", problem: "is \"\(text.prefix(80))\", not <identity>.<number>")
        }
        return subDir
    }

    static func taskStatus(_ element: JSONCursor, flavor: GTIDFlavor?, syncerGTIDMeaningful: Bool) throws(JSONShapeError) -> DMTaskStatus {
        var task = DMTaskStatus(
            name: try element.string("name"), source: "", worker: "",
            stage: DMStage(name: try element.string("stage")),
            unit: DMUnit(name: try element.optionalString("unit") ?? "InvalidUnit"),
            errors: try DMProcessError.parseResult(try element.optionalObject("result")),
            message: try element.message("msg"))
        if let sync = try element.optionalObject("sync") {
            let syncerText = try sync.optionalString("syncerBinlogGtid") ?? ""
            if syncerGTIDMeaningful {
                task.syncerGTIDText = syncerText
                task.syncerGTID = try gtid(sync, "syncerBinlogGtid", flavor: flavor)
            }
            task.upstreamGTID = try gtid(sync, "masterBinlogGtid", flavor: flavor)
            task.syncerBinlog = try sync.optionalString("syncerBinlog")
            task.synced = try sync.bool("synced")
            task.secondsBehind = try sync.optionalInteger("secondsBehindMaster")
        }
        return task
    }

    private static func gtid(_ element: JSONCursor, _ key: String, flavor: GTIDFlavor?) throws(JSONShapeError) -> GTIDValue? {
        try DMGTIDField.parse(try element.optionalString(key), path: "\(element.path).\(key)", flavor: flavor)
    }
}
