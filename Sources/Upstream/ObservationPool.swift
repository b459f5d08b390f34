import Synchronization

/// Probes the instances of a group, each on its own dedicated thread.
///
/// One thread per instance means a hung server (SIGSTOPped, or a black-holed
/// network) delays only its own probes; the others keep their cadence. Each
/// probe is bounded by `ProbeOptions.effectiveDeadline` once connected and by
/// the connect timeout while connecting. Create one pool per set of
/// credentials (per group); `shutdown()` (or deinit) ends the threads.
public final class ObservationPool: Sendable {
    public let credentials: MySQLCredentials
    public let options: ProbeOptions
    private let workers = Mutex(Workers())

    private struct Workers {
        var byAddress: [InstanceAddress: ProbeWorker] = [:]
        var isShutDown = false
    }

    public init(credentials: MySQLCredentials, options: ProbeOptions = ProbeOptions()) {
        self.credentials = credentials
        self.options = options
    }

    deinit {
        shutdown()
    }

    /// Probes `instance` now (a probe that starts after this call) and returns what it saw.
    public func observe(_ instance: InstanceAddress) async -> InstanceObservation {
        let worker = worker(for: instance)
        return await withCheckedContinuation { continuation in
            worker.request(continuation)
        }
    }

    /// Probes every instance concurrently; the result is in the order of `instances`.
    public func observeAll(_ instances: [InstanceAddress]) async -> [InstanceObservation] {
        await withTaskGroup(of: (Int, InstanceObservation).self) { group in
            for (position, instance) in instances.enumerated() {
                group.addTask { (position, await self.observe(instance)) }
            }
            var results: [(Int, InstanceObservation)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Probes each instance every `interval` on its thread and calls `onObservation`
    /// (on that thread: keep it short, e.g. hand the value to an actor or a stream).
    /// Replaces an earlier monitoring of the same instances.
    public func startMonitoring(
        _ instances: [InstanceAddress], every interval: Duration,
        onObservation: @escaping @Sendable (InstanceObservation) -> Void
    ) {
        for instance in instances {
            worker(for: instance).monitor(every: interval, handler: onObservation)
        }
    }

    /// Stops the periodic probes of `instances` (all when nil); `observe` keeps working.
    public func stopMonitoring(_ instances: [InstanceAddress]? = nil) {
        let selected = workers.withLock { workers in
            instances.map { $0.compactMap { workers.byAddress[$0] } } ?? Array(workers.byAddress.values)
        }
        for worker in selected { worker.monitor(every: nil, handler: nil) }
    }

    /// Ends every probe thread (probes in progress are interrupted) and closes the connections.
    /// Later `observe` calls return a failure of kind `other`.
    public func shutdown() {
        let all = workers.withLock { workers -> [ProbeWorker] in
            workers.isShutDown = true
            defer { workers.byAddress = [:] }
            return Array(workers.byAddress.values)
        }
        for worker in all { worker.stop() }
    }

    private func worker(for instance: InstanceAddress) -> ProbeWorker {
        let (worker, isNew) = workers.withLock { workers -> (ProbeWorker, Bool) in
            if let existing = workers.byAddress[instance] { return (existing, false) }
            let probe = InstanceProbe(address: instance, credentials: credentials, options: options)
            let worker = ProbeWorker(probe: probe)
            if workers.isShutDown {
                worker.stop()
                return (worker, false)
            }
            workers.byAddress[instance] = worker
            return (worker, true)
        }
        if isNew { worker.start() }
        return worker
    }
}
