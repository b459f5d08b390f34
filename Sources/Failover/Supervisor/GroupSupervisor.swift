/// One group's state inside the supervisor: detection, DM's status, a pending decision, the run.
struct GroupSupervisor: Sendable {
    private(set) var settings: GroupSettings
    var detector: Detector
    var schedule: ProbeSchedule
    /// The instance DM reads from, as last learned (VIP identity, DM's source, a completed run,
    /// or the journal).
    var upstream: InstanceAddress?
    /// The last probe through the VIP.
    var vipProbe: InstanceObservation?
    var dm: DMStatus?
    var dmAt: Instant?
    var dmQuery: PendingQuery?
    var nextDMQuery: Instant
    var dmSequence: UInt64 = 0
    var lastDMFailure: String?
    var pending: PendingDecision?
    /// `check` commands waiting for a fresh DM status (a dry run judges what a switch now
    /// would see, not a checkpoint read up to a status interval ago).
    var waitingChecks: [WaitingCheck] = []
    /// Once DM's status is in, the instances whose fresh probe the waiting checks still need
    /// (nil: they wait for DM).
    var checkProbes: Set<InstanceAddress>?
    var run: RunMachine?
    var cooldown: Cooldown?
    /// Whether this daemon may start runs and take steps for the group (see `GroupAuthority`).
    var authority: GroupAuthority = .acting
    /// The codes last logged, so a state is logged when it changes, not on every probe.
    var lastVerdictCode: String?
    var lastBlockCode: String?
    /// Settings from a reload that arrived during a run: they take effect when the run ends.
    var pendingSettings: GroupSettings?
    /// A reload removed the group during a run: it is dropped when the run ends.
    var removedByReload = false

    struct PendingQuery: Hashable, Sendable {
        var sequence: UInt64
        var deadline: Instant
    }

    /// A dry run waiting for DM's status.
    struct WaitingCheck: Hashable, Sendable {
        var to: InstanceAddress?
        var command: CommandID
    }

    /// A decision waiting for a fresh DM status (and a switchover, then for its target).
    enum PendingDecision: Hashable, Sendable {
        /// The upstream is down; `retryAt` is set after DM's status could not be read.
        case failover(retryAt: Instant?)
        case switchover(to: InstanceAddress, by: String, command: CommandID)
        /// DM's status was read; the target is being probed again, so that what it has is
        /// judged as of after DM's checkpoint was read (see `dmAnswered`).
        case switchoverProbing(to: InstanceAddress, by: String, command: CommandID)
    }

    init(settings: GroupSettings, upstream: InstanceAddress?, cooldown: Cooldown?, run: RunMachine?, at now: Instant) {
        self.settings = settings
        detector = Detector(settings: settings.detection, instances: settings.instances.map(\.address))
        schedule = ProbeSchedule(
            targets: Self.probeTargets(settings), interval: settings.detection.probeInterval,
            timeout: settings.detection.probeTimeout, at: now)
        self.upstream = upstream.flatMap { settings.instance($0)?.address }
        self.cooldown = cooldown
        self.run = run
        nextDMQuery = now
    }

    /// The group under reloaded settings, keeping what is still true: the detector's record
    /// of every instance that stays, the probes out, the upstream while it is still an
    /// instance, the VIP's last answer while the VIP is the same, DM's status (read again
    /// at once, in case the tasks managed changed), the cooldown and a pending decision.
    /// Only called between runs: a run keeps the settings it started with.
    init(reconfiguring previous: GroupSupervisor, with settings: GroupSettings, at now: Instant) {
        self = previous
        self.settings = settings
        detector = Detector(settings: settings.detection, instances: settings.instances.map(\.address), keeping: previous.detector)
        schedule = previous.schedule.reconfigured(
            targets: Self.probeTargets(settings), interval: settings.detection.probeInterval,
            timeout: settings.detection.probeTimeout, at: now)
        upstream = previous.upstream.flatMap { settings.instance($0)?.address }
        if settings.repoint.vip != previous.settings.repoint.vip { vipProbe = nil }
        nextDMQuery = now
        // Checks waiting for fresh probes keep waiting for those of instances that stay; with
        // none left they wait for DM's next status (read at once: nextDMQuery is now).
        let addresses = Set(settings.instances.map(\.address))
        if let probing = previous.checkProbes?.intersection(addresses) { checkProbes = probing.isEmpty ? nil : probing }
        lastBlockCode = nil
        pendingSettings = nil
        removedByReload = false
    }

    /// Every instance, and the VIP (whose answer tells which instance it points at).
    static func probeTargets(_ settings: GroupSettings) -> [ProbeTarget] {
        var targets = settings.instances.map { ProbeTarget(group: settings.name, address: $0.address) }
        if let vip = settings.repoint.vip { targets.append(ProbeTarget(group: settings.name, address: vip, throughVIP: true)) }
        return targets
    }

    var name: String { settings.name }

    /// The detector's verdict on the upstream (the VIP is an alias replicas may use for it).
    var verdict: UpstreamVerdict {
        detector.assessUpstream(upstream, upstreamAliases: settings.repoint.vip.map { [$0] } ?? [])
    }

    /// The latest probe of every instance that has one.
    var observations: [InstanceObservation] {
        settings.instances.compactMap { detector.latest($0.address) }
    }

    /// The last answer of every instance that ever answered.
    var lastAnswers: [InstanceAddress: InstanceState] {
        detector.records.compactMapValues(\.lastAnswer)
    }

    /// Which instance the VIP (VIP scenario) or DM's source (address scenario) points at.
    var pointedUpstream: (instance: InstanceAddress, via: String)? {
        if settings.repoint.vip != nil {
            guard let identity = vipProbe?.state?.serverIdentity else { return nil }
            let match = settings.instances.first { detector.records[$0.address]?.lastAnswer?.serverIdentity == identity }
            return match.map { ($0.address, "the VIP answers as it") }
        }
        guard let address = dm?.source?.address, let spec = settings.instance(address) else { return nil }
        return (spec.address, "DM's source points at it")
    }

    /// The selector's input from what the supervisor knows now.
    func selectionInput(dm: DMStatus, at now: Instant) -> SelectionInput {
        SelectionInput(settings: settings, upstream: upstream, dm: dm, observations: observations, lastAnswers: lastAnswers, now: now)
    }

    var runStatus: RunStatus? {
        guard let run else { return nil }
        return RunStatus(
            id: run.header.id, kind: run.header.kind, from: run.header.from, to: run.header.to, phase: run.phase,
            restoring: run.restoring, step: run.index + 1, steps: run.steps.count, stepName: run.currentStep?.name)
    }

    /// The earliest instant this group needs a tick.
    func nextWakeUp(at now: Instant) -> Instant? {
        var instants = [schedule.nextWakeUp, dmQuery?.deadline, run?.nextWakeUp].compactMap { $0 }
        // While a DM query is out its deadline counts, not the next periodic query (which
        // `tick` cannot issue before the answer: a past instant here would busy-loop the shell).
        if run == nil, dmQuery == nil { instants.append(nextDMQuery) }
        if case .failover(let retryAt?) = pending { instants.append(retryAt) }
        if let cooldown, cooldown.isActive(at: now) { instants.append(cooldown.until) }
        return instants.min()
    }
}
