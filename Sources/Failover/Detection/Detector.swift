/// Health of every instance of one group, from probe results; pure.
///
/// The detector only folds observations; it never schedules, sleeps or reads a clock (the
/// instant of each observation is passed in). `assessUpstream` turns the fold into the one
/// judgement that may start a failover.
public struct Detector: Hashable, Sendable {
    public let settings: DetectionSettings
    public private(set) var records: [InstanceAddress: InstanceRecord]

    public init(settings: DetectionSettings, instances: [InstanceAddress]) {
        self.settings = settings
        self.records = Dictionary(instances.map { ($0, InstanceRecord()) }, uniquingKeysWith: { first, _ in first })
    }

    /// A detector for reloaded settings that keeps what `previous` learned about every instance
    /// that stays (its probes, failures and last answer), so a reload neither restarts the
    /// startup grace nor forgets that an instance was failing.
    public init(settings: DetectionSettings, instances: [InstanceAddress], keeping previous: Detector) {
        self.init(settings: settings, instances: instances)
        for address in instances {
            if let record = previous.records[address] { records[address] = record }
        }
    }

    /// Folds one probe result in. Observations of instances outside the group are ignored.
    public mutating func record(_ observation: InstanceObservation, at now: Instant) {
        let address = observation.instance
        guard var record = records[address] else { return }
        record.probes += 1
        record.latest = observation
        record.latestAt = now
        switch observation.outcome {
        case .reachable(let state):
            record.consecutiveFailures = 0
            record.lastAnswer = state
        case .failed(let failure):
            record.consecutiveFailures = failure.isProofOfLife ? 0 : record.consecutiveFailures + 1
        }
        records[address] = record
    }

    /// The latest observation of an instance.
    public func latest(_ address: InstanceAddress) -> InstanceObservation? {
        records[address]?.latest
    }

    /// The health of one instance (down after N consecutive failures; no replica confirmation:
    /// that is only needed to act on the upstream).
    public func health(of address: InstanceAddress) -> InstanceHealth {
        guard let record = records[address], let latest = record.latest else { return .unknown }
        switch latest.outcome {
        case .reachable:
            return .healthy
        case .failed(let failure) where failure.isProofOfLife:
            return .alive(failure)
        case .failed(let failure):
            let n = record.consecutiveFailures
            return n >= settings.failuresBeforeDown ? .down(failures: n, last: failure) : .suspect(failures: n, last: failure)
        }
    }

    /// The startup grace: no automatic action before every instance was probed
    /// `startup-probes` times (VTOrc waits 3 probe rounds, failover-anchors.md §6.2), so a
    /// restart in the middle of a network blip does not act on one bad sample.
    public var startupGrace: StartupGrace {
        let short = records
            .filter { $0.value.probes < settings.startupProbes }
            .map { (instance: $0.key, probes: $0.value.probes) }
            .sorted { $0.instance < $1.instance }
        if short.isEmpty { return .over }
        return .pending(short.map { StartupGrace.Shortfall(instance: $0.instance, probes: $0.probes, needed: settings.startupProbes) })
    }

    /// True when the last probe of no instance reached a running server.
    public var reachesNoInstance: Bool {
        !records.isEmpty && records.values.allSatisfy { record in
            guard let latest = record.latest else { return false }
            return latest.failure.map { !$0.isProofOfLife } ?? false
        }
    }

    /// Judges the group's upstream.
    ///
    /// - Parameters:
    ///   - upstream: the instance DM reads from, if known.
    ///   - upstreamAliases: the addresses a replica may use for the upstream besides its own
    ///     (the VIP, in the VIP scenario).
    public func assessUpstream(_ upstream: InstanceAddress?, upstreamAliases: Set<InstanceAddress> = []) -> UpstreamVerdict {
        guard let upstream, records[upstream] != nil else { return .unknown }
        if reachesNoInstance { return .unreachableFromHere }
        switch health(of: upstream) {
        case .unknown:
            return .unknown
        case .healthy:
            return .healthy(upstream)
        case .alive(let failure):
            return .alive(upstream, failure)
        case .suspect(let failures, let last):
            return .suspect(upstream, failures: failures, needed: settings.failuresBeforeDown, last: last)
        case .down(let failures, let last):
            let names = upstreamAliases.union([upstream])
            let view = replicaView(of: names, excluding: upstream)
            if !view.connected.isEmpty {
                return .seenByReplicas(upstream, failures: failures, last: last, connected: view.connected)
            }
            let confirmation: DownConfirmation
            if !settings.confirmWithReplicas {
                confirmation = .notRequired
            } else if view.disconnected.isEmpty {
                confirmation = .noReplicaCanTell
            } else {
                confirmation = .replicasDisconnected(view.disconnected)
            }
            return .down(upstream, failures: failures, last: last, confirmation: confirmation)
        }
    }

    /// Reachable replicas whose replication source is one of `names`, split by IO thread state.
    /// Disabled confirmation returns no connected replicas, so nothing can refute.
    private func replicaView(of names: Set<InstanceAddress>, excluding upstream: InstanceAddress) -> (connected: [InstanceAddress], disconnected: [InstanceAddress]) {
        guard settings.confirmWithReplicas else { return ([], []) }
        var connected: [InstanceAddress] = []
        var disconnected: [InstanceAddress] = []
        for (address, record) in records where address != upstream {
            guard let replication = record.latest?.state?.replication, names.contains(replication.source) else { continue }
            if replication.ioRunning {
                connected.append(address)
            } else {
                disconnected.append(address)
            }
        }
        return (connected.sorted(), disconnected.sorted())
    }
}

/// Whether the startup grace is over.
public enum StartupGrace: Hashable, Sendable {
    case over
    case pending([Shortfall])

    public struct Shortfall: Hashable, Sendable {
        public var instance: InstanceAddress
        public var probes: Int
        public var needed: Int
    }

    public var isOver: Bool { self == .over }

    /// "Startup grace: db2:3306 probed 1 of 3 times."
    public var sentence: String {
        switch self {
        case .over:
            return "The startup grace is over."
        case .pending(let shortfalls):
            let parts = shortfalls.map { "\($0.instance) probed \($0.probes) of \($0.needed) times" }
            return "Startup grace: \(parts.joined(separator: ", "))."
        }
    }
}
