/// The versioned text form of journal records: one compact JSON object per line.
///
/// Every line starts with `"v"` (the format version) and `"type"`, then `"at"` (milliseconds
/// since the epoch). Optional fields are left out rather than written as null. Readers refuse
/// a newer version instead of guessing.
extension JournalRecord {
    /// The version written into every line.
    public static let formatVersion: Int64 = 1

    /// The record as one line of JSON, without the trailing newline.
    public var line: String { json.encoded }

    /// Reads one line written by `line`.
    public init(line: String) throws(JournalDecodingError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(line)
        } catch {
            throw JournalDecodingError(error.reason)
        }
        try self.init(json: Reader(value, "the record"))
    }

    var json: JSONValue {
        var fields: [JSONField] = [JSONField("v", .integer(Self.formatVersion)), JSONField("type", .string(type))]
        fields.append(JSONField("at", .integer(at.millisecondsSinceEpoch)))
        fields += body
        return .object(fields)
    }

    var type: String {
        switch self {
        case .runStarted: "run-started"
        case .stepIntent: "step-intent"
        case .stepOutcome: "step-outcome"
        case .runAborting: "run-aborting"
        case .runFinished: "run-finished"
        case .decision: "decision"
        case .holdPlaced: "hold-placed"
        case .holdReleased: "hold-released"
        case .cooldownStarted: "cooldown-started"
        case .acknowledged: "acknowledged"
        case .upstreamLearned: "upstream-learned"
        }
    }

    private var body: [JSONField] {
        switch self {
        case .runStarted(let header):
            return fields([
                ("run", .string(header.id.rawValue)), ("group", .string(header.group)), ("kind", .string(header.kind.rawValue)),
                ("from", header.from.json), ("to", header.to.json), ("to-identity", .string(header.toIdentity)),
                ("runbook", .string(header.runbook.rawValue)), ("repoint", .integer(Int64(header.repointIndex))),
                ("tasks", .array(header.tasks.map { .object([JSONField("name", .string($0.name)), JSONField("file", .string($0.file))]) })),
                ("steps", .array(header.steps.map(\.json))), ("reason", .string(header.reason)),
                ("requested-by", header.requestedBy.map(JSONValue.string)),
            ])
        case .stepIntent(let step):
            return step.fields
        case .stepOutcome(let step, let result, let detail):
            var result = result.fields
            if !detail.isEmpty { result.append(JSONField("detail", .string(detail))) }
            return step.fields + result
        case .runAborting(let run, let failure, let restoreSteps, _):
            return fields([("run", .string(run.rawValue)), ("failure", failure.json), ("restore-steps", .array(restoreSteps.map(\.json)))])
        case .runFinished(let run, let outcome, _):
            return fields([("run", .string(run.rawValue)), ("outcome", outcome.json)])
        case .decision(let decision, _):
            return fields([
                ("severity", .string(decision.severity.rawValue)), ("code", .string(decision.code)),
                ("group", decision.group.map(JSONValue.string)), ("run", decision.run.map { .string($0.rawValue) }),
                ("step", decision.step.map(JSONValue.string)), ("sentence", .string(decision.sentence)),
            ])
        case .holdPlaced(let hold):
            return fields([
                ("group", hold.scope.groupName.map(JSONValue.string)), ("kind", .string(hold.kind.rawValue)),
                ("reason", .string(hold.reason)), ("owner", .string(hold.owner)),
                ("expires-at", hold.expiresAt.map { .integer($0.millisecondsSinceEpoch) }),
            ])
        case .holdReleased(let scope, let kind, let by, _):
            return fields([("group", scope.groupName.map(JSONValue.string)), ("kind", kind.map { .string($0.rawValue) }), ("by", .string(by))])
        case .cooldownStarted(let cooldown, _):
            return fields([("group", .string(cooldown.group)), ("run", .string(cooldown.run.rawValue)), ("until", .integer(cooldown.until.millisecondsSinceEpoch))])
        case .acknowledged(let group, let by, _):
            return fields([("group", .string(group)), ("by", .string(by))])
        case .upstreamLearned(let group, let instance, _):
            return fields([("group", .string(group)), ("instance", instance.json)])
        }
    }

    private init(json record: Reader) throws(JournalDecodingError) {
        let version = try record.integer("v")
        guard version == Self.formatVersion else {
            throw JournalDecodingError("it has format version \(version), and this dmswitchd reads version \(Self.formatVersion)")
        }
        let at = try record.instant("at")
        switch try record.string("type") {
        case "run-started":
            let steps = try record.array("steps").map { (step) throws(JournalDecodingError) in try StepKind(json: step) }
            let tasks = try record.array("tasks").map { (task) throws(JournalDecodingError) in TaskSpec(name: try task.string("name"), file: try task.string("file")) }
            let runbookName = try record.string("runbook")
            guard let runbook = RunbookKind(rawValue: runbookName) else { throw JournalDecodingError("runbook \"\(runbookName)\" is unknown") }
            let kindName = try record.string("kind")
            guard let kind = RunKind(rawValue: kindName) else { throw JournalDecodingError("run kind \"\(kindName)\" is unknown") }
            let repoint = try record.integer("repoint")
            guard repoint >= 0, repoint < steps.count else { throw JournalDecodingError("repoint index \(repoint) is outside the \(steps.count) steps") }
            self = .runStarted(RunHeader(
                id: RunID(try record.string("run")), group: try record.string("group"), kind: kind,
                from: try record.address("from"), to: try record.address("to"), toIdentity: try record.string("to-identity"),
                runbook: Runbook(kind: runbook, steps: steps, repointIndex: Int(repoint)), tasks: tasks,
                reason: try record.string("reason"), requestedBy: try record.optionalString("requested-by"), startedAt: at))
        case "step-intent":
            self = .stepIntent(try StepRecord(json: record, at: at))
        case "step-outcome":
            self = .stepOutcome(try StepRecord(json: record, at: at), try StepRecordResult(json: record), detail: try record.optionalString("detail") ?? "")
        case "run-aborting":
            let steps = try record.array("restore-steps").map { (step) throws(JournalDecodingError) in try StepKind(json: step) }
            self = .runAborting(run: RunID(try record.string("run")), failure: try RunFailure(json: try record.object("failure")), restoreSteps: steps, at: at)
        case "run-finished":
            self = .runFinished(run: RunID(try record.string("run")), outcome: try RunOutcome(json: try record.object("outcome")), at: at)
        case "decision":
            let severityName = try record.string("severity")
            guard let severity = Decision.Severity(rawValue: severityName) else { throw JournalDecodingError("severity \"\(severityName)\" is unknown") }
            let decision = Decision(
                severity, code: try record.string("code"), group: try record.optionalString("group"),
                run: try record.optionalString("run").map(RunID.init), step: try record.optionalString("step"), try record.string("sentence"))
            self = .decision(decision, at: at)
        case "hold-placed":
            let kindName = try record.string("kind")
            guard let kind = HoldKind(rawValue: kindName) else { throw JournalDecodingError("hold kind \"\(kindName)\" is unknown") }
            self = .holdPlaced(Hold(
                scope: HoldScope(groupName: try record.optionalString("group")), kind: kind, reason: try record.string("reason"),
                owner: try record.string("owner"), placedAt: at, expiresAt: try record.optionalInstant("expires-at")))
        case "hold-released":
            let kindName = try record.optionalString("kind")
            let kind = kindName.flatMap(HoldKind.init(rawValue:))
            if let kindName, kind == nil { throw JournalDecodingError("hold kind \"\(kindName)\" is unknown") }
            self = .holdReleased(scope: HoldScope(groupName: try record.optionalString("group")), kind: kind, by: try record.string("by"), at: at)
        case "cooldown-started":
            self = .cooldownStarted(Cooldown(group: try record.string("group"), run: RunID(try record.string("run")), until: try record.instant("until")), at: at)
        case "acknowledged":
            self = .acknowledged(group: try record.string("group"), by: try record.string("by"), at: at)
        case "upstream-learned":
            self = .upstreamLearned(group: try record.string("group"), instance: try record.address("instance"), at: at)
        case let other:
            throw JournalDecodingError("record type \"\(other)\" is unknown")
        }
    }
}

/// A journal line that is JSON but not a record this version writes.
public struct JournalDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "The journal record cannot be read: \(reason)." }
}

// MARK: - Parts

/// Object fields, leaving out the absent optional ones.
private func fields(_ pairs: [(String, JSONValue?)]) -> [JSONField] {
    pairs.compactMap { key, value in value.map { JSONField(key, $0) } }
}

extension InstanceAddress {
    var json: JSONValue { .object([JSONField("host", .string(host)), JSONField("port", .integer(Int64(port)))]) }
}

extension HoldScope {
    /// nil for the global scope.
    var groupName: String? {
        if case .group(let name) = self { return name }
        return nil
    }

    init(groupName: String?) {
        self = groupName.map(HoldScope.group) ?? .global
    }
}

extension StepRecord {
    var fields: [JSONField] {
        [
            JSONField("run", .string(run.rawValue)), JSONField("stage", .string(stage.rawValue)),
            JSONField("index", .integer(Int64(index))), JSONField("attempt", .integer(Int64(attempt))), JSONField("step", step.json),
        ]
    }

    init(json record: Reader, at: Instant) throws(JournalDecodingError) {
        let stageName = try record.string("stage")
        guard let stage = RunStage(rawValue: stageName) else { throw JournalDecodingError("stage \"\(stageName)\" is unknown") }
        let index = try record.integer("index")
        let attempt = try record.integer("attempt")
        guard index >= 0, attempt >= 1 else { throw JournalDecodingError("step index \(index) or attempt \(attempt) is out of range") }
        self.init(run: RunID(try record.string("run")), stage: stage, index: Int(index), step: try StepKind(json: try record.object("step")), attempt: Int(attempt), at: at)
    }
}

extension StepRecordResult {
    var fields: [JSONField] {
        var fields = [JSONField("result", .string(code))]
        switch self {
        case .succeeded, .alreadyDone: break
        case .failed(let error, let retryAt):
            fields.append(JSONField("error", .string(error)))
            if let retryAt { fields.append(JSONField("retry-at", .integer(retryAt.millisecondsSinceEpoch))) }
        case .refused(let verdict):
            fields.append(JSONField("verdict", .string(verdict)))
        }
        return fields
    }

    init(json record: Reader) throws(JournalDecodingError) {
        switch try record.string("result") {
        case "succeeded": self = .succeeded
        case "already-done": self = .alreadyDone
        case "failed": self = .failed(try record.string("error"), retryAt: try record.optionalInstant("retry-at"))
        case "refused": self = .refused(try record.string("verdict"))
        case let other: throw JournalDecodingError("step result \"\(other)\" is unknown")
        }
    }
}

extension StepKind {
    var json: JSONValue {
        var fields = [JSONField("step", .string(name))]
        switch self {
        case .pauseTask(let task), .resumeTask(let task), .stopTask(let task):
            fields.append(JSONField("task", .string(task)))
        case .moveVIP(let from, let to):
            fields += [JSONField("from", from.json), JSONField("to", to.json)]
        case .verifyIdentityThroughVIP(let expected):
            fields.append(JSONField("expected", .string(expected)))
        case .rewriteSourceFile(let address), .rewriteInventory(let address):
            fields.append(JSONField("address", address.json))
        case .startTask(let task, let file):
            fields += [JSONField("task", .string(task)), JSONField("file", .string(file))]
        case .queryStatus, .check, .recheck, .pauseRelay, .switchRelayMaster, .resumeRelay, .operateSourceStop,
             .operateSourceCreate, .runRollingUpdate, .verifyRunning:
            break
        }
        return .object(fields)
    }

    init(json step: Reader) throws(JournalDecodingError) {
        switch try step.string("step") {
        case "query-status": self = .queryStatus
        case "check": self = .check
        case "pause-task": self = .pauseTask(try step.string("task"))
        case "recheck": self = .recheck
        case "pause-relay": self = .pauseRelay
        case "move-vip": self = .moveVIP(from: try step.address("from"), to: try step.address("to"))
        case "verify-identity-through-vip": self = .verifyIdentityThroughVIP(expected: try step.string("expected"))
        case "switch-relay-master": self = .switchRelayMaster
        case "resume-relay": self = .resumeRelay
        case "resume-task": self = .resumeTask(try step.string("task"))
        case "stop-task": self = .stopTask(try step.string("task"))
        case "operate-source-stop": self = .operateSourceStop
        case "rewrite-source-file": self = .rewriteSourceFile(try step.address("address"))
        case "operate-source-create": self = .operateSourceCreate
        case "start-task": self = .startTask(name: try step.string("task"), file: try step.string("file"))
        case "rewrite-inventory": self = .rewriteInventory(try step.address("address"))
        case "run-rolling-update": self = .runRollingUpdate
        case "verify-running": self = .verifyRunning
        case let other: throw JournalDecodingError("step \"\(other)\" is unknown")
        }
    }
}

extension RunFailure {
    var json: JSONValue {
        switch self {
        case .checkRefused(let step, let verdict):
            .object([JSONField("code", .string(code)), JSONField("step", .string(step)), JSONField("verdict", .string(verdict))])
        case .stepFailed(let step, let attempts, let error):
            .object([JSONField("code", .string(code)), JSONField("step", .string(step)), JSONField("attempts", .integer(Int64(attempts))), JSONField("error", .string(error))])
        case .journalUnavailable(let reason):
            .object([JSONField("code", .string(code)), JSONField("reason", .string(reason))])
        }
    }

    init(json failure: Reader) throws(JournalDecodingError) {
        switch try failure.string("code") {
        case "check-refused": self = .checkRefused(step: try failure.string("step"), verdict: try failure.string("verdict"))
        case "step-failed": self = .stepFailed(step: try failure.string("step"), attempts: Int(try failure.integer("attempts")), error: try failure.string("error"))
        case "journal-unavailable": self = .journalUnavailable(try failure.string("reason"))
        case let other: throw JournalDecodingError("failure code \"\(other)\" is unknown")
        }
    }
}

extension RunOutcome {
    var json: JSONValue {
        switch self {
        case .completed:
            return .object([JSONField("code", .string(code))])
        case .abortedBeforeRepoint(let failure, let dm):
            var dmFields = [JSONField("code", .string(dm.code))]
            if !dm.detail.isEmpty { dmFields.append(JSONField("detail", .string(dm.detail))) }
            return .object([JSONField("code", .string(code)), JSONField("failure", failure.json), JSONField("dm", .object(dmFields))])
        case .failedAfterRepoint(let failure):
            return .object([JSONField("code", .string(code)), JSONField("failure", failure.json)])
        }
    }

    init(json outcome: Reader) throws(JournalDecodingError) {
        switch try outcome.string("code") {
        case "completed":
            self = .completed
        case "aborted-before-repoint":
            let dm = try outcome.object("dm")
            let detail = try dm.optionalString("detail") ?? ""
            let restoration: DMRestoration
            switch try dm.string("code") {
            case "untouched": restoration = .untouched
            case "restored": restoration = .restored
            case "left-paused": restoration = .leftPaused(detail)
            case "restore-failed": restoration = .restoreFailed(detail)
            case let other: throw JournalDecodingError("DM restoration \"\(other)\" is unknown")
            }
            self = .abortedBeforeRepoint(try RunFailure(json: try outcome.object("failure")), dm: restoration)
        case "failed-after-repoint":
            self = .failedAfterRepoint(try RunFailure(json: try outcome.object("failure")))
        case let other:
            throw JournalDecodingError("outcome \"\(other)\" is unknown")
        }
    }
}

/// Typed access to one JSON object of a record, with errors that name the missing field.
struct Reader {
    let value: JSONValue
    let context: String

    init(_ value: JSONValue, _ context: String) {
        self.value = value
        self.context = context
    }

    private func field(_ key: String) throws(JournalDecodingError) -> JSONValue {
        guard case .object = value else { throw JournalDecodingError("\(context) is not an object") }
        guard let field = value[key], field != .null else { throw JournalDecodingError("\(context) has no \"\(key)\"") }
        return field
    }

    func string(_ key: String) throws(JournalDecodingError) -> String {
        guard let text = try field(key).stringValue else { throw JournalDecodingError("\"\(key)\" of \(context) is not a string") }
        return text
    }

    func optionalString(_ key: String) throws(JournalDecodingError) -> String? {
        guard let field = value[key], field != .null else { return nil }
        guard let text = field.stringValue else { throw JournalDecodingError("\"\(key)\" of \(context) is not a string") }
        return text
    }

    func integer(_ key: String) throws(JournalDecodingError) -> Int64 {
        guard let number = try field(key).integerValue else { throw JournalDecodingError("\"\(key)\" of \(context) is not an integer") }
        return number
    }

    func instant(_ key: String) throws(JournalDecodingError) -> Instant {
        Instant(millisecondsSinceEpoch: try integer(key))
    }

    func optionalInstant(_ key: String) throws(JournalDecodingError) -> Instant? {
        guard let field = value[key], field != .null else { return nil }
        guard let number = field.integerValue else { throw JournalDecodingError("\"\(key)\" of \(context) is not an integer") }
        return Instant(millisecondsSinceEpoch: number)
    }

    func object(_ key: String) throws(JournalDecodingError) -> Reader {
        Reader(try field(key), "\"\(key)\"")
    }

    func array(_ key: String) throws(JournalDecodingError) -> [Reader] {
        guard let items = try field(key).arrayValue else { throw JournalDecodingError("\"\(key)\" of \(context) is not an array") }
        return items.map { Reader($0, "an element of \"\(key)\"") }
    }

    func address(_ key: String) throws(JournalDecodingError) -> InstanceAddress {
        let address = try object(key)
        let port = try address.integer("port")
        guard let port = UInt16(exactly: port) else { throw JournalDecodingError("port \(port) of \"\(key)\" is out of range") }
        return InstanceAddress(host: try address.string("host"), port: port)
    }
}
