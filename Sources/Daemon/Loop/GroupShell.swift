import Failover
import Upstream

/// One group's hands: its probes, its DM calls and steps on its own worker
/// thread, answers posted back to the decision thread.
struct GroupShell: Sendable {
    let resources: GroupResources
    /// The core's settings of the group, for previews (`check`'s runbook).
    let settings: GroupSettings
    let worker: SerialWorker
    let sightings: Sightings
    let post: @Sendable (LoopEvent) -> Void

    /// A shell for `resources`. On reload the group's `previous` shell hands over its worker
    /// (so DM calls stay one at a time across the change) and what it saw (so `status` does
    /// not go blank).
    init(resources: GroupResources, settings: GroupSettings, post: @escaping @Sendable (LoopEvent) -> Void, previous: GroupShell? = nil) {
        self.resources = resources
        self.settings = settings
        self.worker = previous?.worker ?? SerialWorker(name: "dm-\(resources.name)")
        self.sightings = previous?.sightings ?? Sightings()
        self.post = post
    }

    var gatherer: EvidenceGatherer { EvidenceGatherer(resources: resources) }
    var executor: StepExecutor { StepExecutor(resources: resources) }

    /// Probes an instance (or through the VIP) on the probe thread of that address.
    func probe(_ ticket: ProbeTicket) {
        let pool = ticket.target.throughVIP ? (resources.vipProbes ?? resources.probes) : resources.probes
        let address = Upstream.InstanceAddress(ticket.target.address)
        let post = post
        let sightings = ticket.target.throughVIP ? nil : sightings
        Task {
            let observation = Failover.InstanceObservation(await pool.observe(address))
            sightings?.record(observation)
            post(.probeCompleted(observation, ticket))
        }
    }

    func queryDM(_ ticket: DMQueryTicket) {
        let gatherer = gatherer
        let post = post
        let sightings = sightings
        worker.submit {
            let result: DMQueryResult
            do {
                let status = try gatherer.dmStatus()
                sightings.recordDM(status)
                result = .status(status)
            } catch {
                result = .failed("\(error)")
            }
            post(.dmStatusObserved(result, ticket))
        }
    }

    func gather(_ request: EvidenceRequest, id: RequestID) {
        let gatherer = gatherer
        let post = post
        worker.submit { post(.evidenceGathered(gatherer.gather(request), id)) }
    }

    func execute(_ step: StepKind, id: RequestID, deadline: Instant) {
        let executor = executor
        let post = post
        worker.submit {
            let timeLeft = max(.seconds(1), deadline - Instant.now)
            post(.stepFinished(executor.execute(step, run: id.run, timeLeft: timeLeft), id))
        }
    }

    func shutdown() {
        worker.stop()
        resources.probes.shutdown()
        resources.vipProbes?.shutdown()
    }
}
