import DM
import DMSwitchConfig
import Failover
import Upstream

/// Observes what the run machine (or the supervisor) asks about: DM's status
/// of the source, fresh probes of instances, the identity answering through
/// the VIP, and the addresses DM is configured with.
///
/// A part that cannot be observed is left out and explained in `failures`;
/// the core treats a missing part as "unknown", never as "done".
struct EvidenceGatherer: Sendable {
    let resources: GroupResources

    func gather(_ request: EvidenceRequest) -> Evidence {
        var evidence = Evidence()
        if request.dmStatus {
            do {
                evidence.dmStatus = try dmStatus()
            } catch {
                evidence.failures.append("query-status of source \(resources.name) failed: \(error)")
            }
        }
        if !request.instances.isEmpty {
            let pool = resources.probes
            let addresses = request.instances.map(Upstream.InstanceAddress.init)
            evidence.instances = waitFor { await pool.observeAll(addresses) }.map(Failover.InstanceObservation.init)
        }
        if let vip = request.throughVIP {
            evidence.throughVIP = probeThroughVIP(vip)
        }
        if request.savedSourceAddress {
            switch savedSourceAddress() {
            case .success(let address): evidence.savedSourceAddress = address
            case .failure(let failure): evidence.failures.append(failure.sentence)
            }
        }
        if request.inventoryAddress {
            switch inventoryAddress() {
            case .success(let address): evidence.inventoryAddress = address
            case .failure(let failure): evidence.failures.append(failure.sentence)
            }
        }
        return evidence
    }

    /// DM's view of the source, in the core's vocabulary. DM refusing because the
    /// source does not exist (between `operate-source stop` and `create` in the address
    /// runbook) is an answer, not a failure: no source, no tasks.
    func dmStatus() throws(DMError) -> DMStatus {
        let report: DMStatusReport
        do {
            report = try resources.dm.queryStatus(source: resources.name)
        } catch where error.isSourceNotAdded {
            return DMStatus(tasks: [], source: nil)
        }
        return DMStatus(report, source: resources.name, address: configuredSourceAddress(), taskFilter: resources.taskFilter)
    }

    /// Where DM's source points by configuration: the VIP, the saved source
    /// file's `from`, or the worker's inventory entry.
    func configuredSourceAddress() -> Failover.InstanceAddress? {
        if let vip = resources.vip { return Failover.InstanceAddress(vip) }
        if resources.sourceFile != nil { return try? savedSourceAddress().get() }
        if resources.dmAnsible != nil { return try? inventoryAddress().get() }
        return nil
    }

    private func probeThroughVIP(_ vip: Failover.InstanceAddress) -> Failover.InstanceObservation {
        let pool = resources.vipProbes ?? resources.probes
        let address = Upstream.InstanceAddress(vip)
        return Failover.InstanceObservation(waitFor { await pool.observe(address) })
    }

    struct FileFailure: Error {
        let sentence: String
    }

    private func savedSourceAddress() -> Result<Failover.InstanceAddress, FileFailure> {
        guard let path = resources.sourceFile else {
            return .failure(FileFailure(sentence: "Group \(resources.name) has no saved source file."))
        }
        do {
            let file = try DMSourceFile.read(path: path)
            guard let port = UInt16(exactly: file.port) else {
                return .failure(FileFailure(sentence: "The saved source file \(path) has port \(file.port), which is not a TCP port."))
            }
            return .success(Failover.InstanceAddress(host: file.host, port: port))
        } catch {
            return .failure(FileFailure(sentence: "Could not read the saved source file: \(error)"))
        }
    }

    private func inventoryAddress() -> Result<Failover.InstanceAddress, FileFailure> {
        guard let ansible = resources.dmAnsible else {
            return .failure(FileFailure(sentence: "Group \(resources.name) has no DM-Ansible inventory."))
        }
        do {
            let worker = try DMAnsibleInventory.worker(alias: ansible.workerAlias, path: ansible.inventoryFile)
            guard let port = worker.mysqlPort.flatMap(UInt16.init(exactly:)), !worker.mysqlHost.isEmpty else {
                return .failure(FileFailure(sentence: "The inventory entry \(ansible.workerAlias) in \(ansible.inventoryFile) has no usable mysql_host/mysql_port."))
            }
            return .success(Failover.InstanceAddress(host: worker.mysqlHost, port: port))
        } catch {
            return .failure(FileFailure(sentence: "Could not read the DM-Ansible inventory: \(error)"))
        }
    }
}
