/// The reply to `list-member` (DM v2+): the DM-master leader, the masters and the workers.
///
/// The daemon uses it to see which worker a source is bound to and whether workers are
/// alive before a runbook relies on them (dm-interface §3.6).
public struct DMMemberList: Hashable, Sendable {
    /// The current DM-master leader.
    public struct Leader: Hashable, Sendable {
        public var name: String
        public var address: String
        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }
    }

    /// One DM-master.
    public struct Master: Hashable, Sendable {
        public var name: String
        /// `memberID`, a uint64 that dmctl prints as a string.
        public var memberID: String
        public var alive: Bool
        public var peerURLs: [String]
        public var clientURLs: [String]
        public init(name: String, memberID: String, alive: Bool, peerURLs: [String] = [], clientURLs: [String] = []) {
            self.name = name
            self.memberID = memberID
            self.alive = alive
            self.peerURLs = peerURLs
            self.clientURLs = clientURLs
        }
    }

    /// One DM-worker.
    public struct Worker: Hashable, Sendable {
        public var name: String
        public var address: String
        /// `offline`, `free`, `bound` or `relay`.
        public var stage: String
        /// The bound source, empty when none.
        public var source: String
        public init(name: String, address: String, stage: String, source: String) {
            self.name = name
            self.address = address
            self.stage = stage
            self.source = source
        }
    }

    public var result: Bool
    public var message: String?
    public var leader: Leader?
    public var masters: [Master]
    public var workers: [Worker]
    /// Messages DM printed inside the sections (e.g. a master it could not ask).
    public var sectionMessages: [String]

    public init(
        result: Bool, message: String? = nil, leader: Leader? = nil, masters: [Master] = [], workers: [Worker] = [],
        sectionMessages: [String] = []
    ) {
        self.result = result
        self.message = message
        self.leader = leader
        self.masters = masters
        self.workers = workers
        self.sectionMessages = sectionMessages
    }
}

/// Parses `list-member` replies: `members` is a list of one-of elements `{"leader": …}`,
/// `{"master": {"masters": […]}}`, `{"worker": {"workers": […]}}`.
public enum DMMemberListParser {
    static let expected = "list-member reply"

    public static func parse(_ output: String) throws(DMOutputError) -> DMMemberList {
        let root = try DMCtlJSON.decode(output, expected: expected)
        do {
            return try memberList(root)
        } catch {
            throw error.output(output, expected: expected)
        }
    }

    static func memberList(_ root: JSONCursor) throws(JSONShapeError) -> DMMemberList {
        guard try root.optional("result") != nil else {
            throw JSONShapeError(path: "result", problem: "is missing")
        }
        var list = DMMemberList(result: try root.bool("result"), message: try root.message("msg"))
        for element in try root.array("members") {
            if let leader = try element.optionalObject("leader") {
                if let text = try leader.message("msg") { list.sectionMessages.append(text) }
                list.leader = DMMemberList.Leader(
                    name: try leader.optionalString("name") ?? "", address: try leader.optionalString("addr") ?? "")
            } else if let section = try element.optionalObject("master") {
                if let text = try section.message("msg") { list.sectionMessages.append(text) }
                for master in try section.array("masters") {
                    list.masters.append(
                        DMMemberList.Master(
                            name: try master.string("name"),
                            memberID: try master.optionalUnsignedText("memberID") ?? "",
                            alive: try master.bool("alive"), peerURLs: try master.strings("peerURLs"),
                            clientURLs: try master.strings("clientURLs")))
                }
            } else if let section = try element.optionalObject("worker") {
                if let text = try section.message("msg") { list.sectionMessages.append(text) }
                for worker in try section.array("workers") {
                    list.workers.append(
                        DMMemberList.Worker(
                            name: try worker.string("name"), address: try worker.optionalString("addr") ?? "",
                            stage: try worker.optionalString("stage") ?? "", source: try worker.optionalString("source") ?? ""))
                }
            } else {
                throw JSONShapeError(path: element.path, problem: "has none of `leader`, `master` or `worker`")
            }
        }
        return list
    }
}
