import DM
import GTID
/// What one dmctl-compatible invocation works with: setup, version, state and server links.
///
/// Commands mutate `state` and return their reply; the caller saves the state and writes
/// the event log while it still holds the state directory's lock.
final class SimContext {
    let store: StateStore
    let config: SimConfig
    let version: DMVersion
    var state: SimState
    let links: ServerLinks
    let replicator: Replicator
    /// Events produced by the command, written after it finished.
    var events: [SimEvent] = []
    /// `dmsim <command>` or `sim-watch`: who noticed a violation.
    let actor: String
    /// Upstream observations made during this invocation, by source-id.
    private var observed: [String: Result<UpstreamView, ServerFailure>] = [:]

    init(store: StateStore, config: SimConfig, version: DMVersion, state: SimState, actor: String) throws(SimSetupError) {
        self.store = store
        self.config = config
        self.version = version
        self.state = state
        self.actor = actor
        links = ServerLinks(timeoutSeconds: config.connectTimeoutSeconds)
        replicator = Replicator(links: links,
                                downstreamLogin: config.downstream,
                                downstreamPassword: try config.downstream?.resolvedPassword() ?? "",
                                upstreamLogin: config.upstream,
                                upstreamPassword: try config.upstream?.resolvedPassword() ?? "")
    }

    func record(_ kind: String, task: String? = nil, source: String? = nil, _ detail: String) {
        events.append(SimEvent(time: Clock.timestamp(), kind: kind, task: task, source: source, detail: detail))
    }

    /// Observes a source's upstream once per invocation, remembering its domains and position.
    func observe(_ sourceID: String) -> Result<UpstreamView, ServerFailure> {
        if let cached = observed[sourceID] { return cached }
        guard let source = state.sources[sourceID] else {
            return .failure(ServerFailure("Source \(sourceID) does not exist."))
        }
        let result: Result<UpstreamView, ServerFailure>
        do {
            let view = try replicator.observe(source)
            result = .success(view)
            var updated = source
            let domains = Set(updated.domains).union(MariaDBGTIDPosition(serverText: view.gtidBinlogPos).domains).union([view.domainID])
            updated.domains = domains.sorted()
            updated.lastMasterBinlog = view.masterBinlog
            updated.lastMasterGTID = view.gtidBinlogPos
            state.sources[sourceID] = updated
        } catch {
            result = .failure(error)
        }
        observed[sourceID] = result
        return result
    }

    /// Forgets cached observations (after a command re-pointed or restarted something).
    func forgetObservations() { observed.removeAll() }

    /// Records the identity a subtask's reader starts against: the server answering at the
    /// source address now. Also moves the source's relay to a new sub-directory when that
    /// server is not the one of the current sub-directory.
    func recordStart(task: String, source sourceID: String, noteRelay: Bool = true) {
        guard var subtask = state.tasks[task]?.subtasks[sourceID],
              let source = state.sources[sourceID] else { return }
        switch observe(sourceID) {
        case .success(let view):
            subtask.startedServerID = view.serverID
            if noteRelay { noteIdentity(sourceID, view.identity, forceNew: false) }
            record("identity", task: task, source: sourceID,
                   "reader of \(task)/\(sourceID) (re)started against server_id \(view.serverID) at \(source.from.address)")
        case .failure(let failure):
            subtask.startedServerID = nil
            record("identity", task: task, source: sourceID,
                   "reader of \(task)/\(sourceID) (re)started while \(source.from.address) could not be observed: \(failure)")
        }
        subtask.startedAddress = source.from.address
        subtask.flaggedServerID = nil
        state.tasks[task]?.subtasks[sourceID] = subtask
    }

    /// Appends a relay sub-directory `<identity>.NNNNNN` when the identity differs from the
    /// current one (or always with `forceNew`, like DM's `AddDir` on `switch-relay-master`).
    func noteIdentity(_ sourceID: String, _ identity: String, forceNew: Bool) {
        guard var source = state.sources[sourceID] else { return }
        let current = source.relaySubDirs.last
        let currentIdentity = current.map { String($0.split(separator: ".").first ?? "") }
        if !forceNew, currentIdentity == identity { return }
        let suffix = source.relaySubDirs.count + 1
        let digits = String(suffix)
        source.relaySubDirs.append(identity + "." + String(repeating: "0", count: max(0, 6 - digits.count)) + digits)
        state.sources[sourceID] = source
    }

    /// Subtasks read through the relay (IO thread = relay, SQL thread = syncer) for v1 and
    /// relay-enabled sources; otherwise a subtask is the whole replication connection.
    func usesRelay(_ sourceID: String) -> Bool {
        state.sources[sourceID]?.relayReported(version) ?? version.isV1
    }

    /// The worker name (v2+) or address (v1) a source is bound to, "" when none.
    func worker(of sourceID: String) -> String {
        state.sources[sourceID]?.worker ?? ""
    }

    func close() { links.closeAll() }
}
