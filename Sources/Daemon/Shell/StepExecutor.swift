import DM
import DMSwitchConfig
import Failover

/// Performs the runbook steps the run machine asks for, one at a time, on the
/// group's decision thread, and reports each as succeeded or failed with one
/// sentence.
///
/// Verification is not done here: the machine asks for evidence before and
/// after every step (`EvidenceGatherer`) and judges it itself.
struct StepExecutor: Sendable {
    let resources: GroupResources

    func execute(_ step: StepKind, run: RunID, timeLeft: Duration) -> StepResult {
        let source = resources.name
        let dm = resources.dm
        do throws(DMError) {
            switch step {
            case .pauseTask(let task): _ = try dm.pauseTask(task, source: source)
            case .resumeTask(let task): _ = try dm.resumeTask(task, source: source)
            case .stopTask(let task): _ = try dm.stopTask(task, source: source)
            case .startTask(_, let file): _ = try dm.startTask(file: file, source: source)
            case .pauseRelay:
                do {
                    _ = try dm.pauseRelay(source: source)
                } catch where error.saysRelayAlreadyPaused {
                    // A relay its upstream's error paused: the run asks to pause it so DM's
                    // auto-resume cannot reconnect it after the repoint; DM v1.0 answers that it
                    // is Paused already, which is what was asked. The verification reads the stage.
                    return .succeeded
                }
            case .resumeRelay: _ = try dm.resumeRelay(source: source)
            case .switchRelayMaster: _ = try dm.switchRelayMaster(source: source)
            case .operateSourceStop: _ = try dm.stopSource(source)
            case .operateSourceCreate:
                guard let file = resources.sourceFile else { return missing("a saved source file", for: step) }
                _ = try dm.createSource(file: file)
            case .moveVIP(let from, let to):
                return moveVIP(from: from, to: to, run: run, timeLeft: timeLeft)
            case .rewriteSourceFile(let address):
                return rewriteSourceFile(to: address)
            case .rewriteInventory(let address):
                return rewriteInventory(to: address)
            case .runRollingUpdate:
                return runRollingUpdate(run: run, timeLeft: timeLeft)
            case .queryStatus, .check, .recheck, .verifyIdentityThroughVIP, .verifyRunning:
                // Read-only steps are judged on evidence; performing one is a no-op.
                return .succeeded
            }
        } catch {
            return .failed(error.description)
        }
        return .succeeded
    }

    private func moveVIP(from: Failover.InstanceAddress, to: Failover.InstanceAddress, run: RunID, timeLeft: Duration) -> StepResult {
        guard case .vip(let vip) = resources.switching else { return missing("a VIP", for: .moveVIP(from: from, to: to)) }
        let environment = HookRunner.environment(run: run, group: resources.name, from: from, to: to, vip: vip.address)
        let failure = HookRunner.run(
            vip.moveCommand, purpose: "move the VIP \(vip.address) from \(from) to \(to)", environment: environment,
            timeout: min(vip.moveTimeout, timeLeft), workingDirectory: resources.hookDirectory, log: resources.log)
        return failure.map(StepResult.failed) ?? .succeeded
    }

    private func rewriteSourceFile(to address: Failover.InstanceAddress) -> StepResult {
        guard let file = resources.sourceFile else { return missing("a saved source file", for: .rewriteSourceFile(address)) }
        do {
            _ = try DMSourceFile.rewriteAddress(path: file, host: address.host, port: Int(address.port))
            return .succeeded
        } catch {
            return .failed("Could not rewrite the saved source file \(file) to \(address): \(error)")
        }
    }

    private func rewriteInventory(to address: Failover.InstanceAddress) -> StepResult {
        guard let ansible = resources.dmAnsible else { return missing("a DM-Ansible inventory", for: .rewriteInventory(address)) }
        do {
            _ = try DMAnsibleInventory.rewriteAddress(
                path: ansible.inventoryFile, alias: ansible.workerAlias, host: address.host, port: Int(address.port))
            return .succeeded
        } catch {
            return .failed("Could not rewrite \(ansible.workerAlias) in \(ansible.inventoryFile) to \(address): \(error)")
        }
    }

    private func runRollingUpdate(run: RunID, timeLeft: Duration) -> StepResult {
        guard let ansible = resources.dmAnsible else { return missing("a rolling-update command", for: .runRollingUpdate) }
        var environment = HookRunner.environment(
            run: run, group: resources.name, from: .init(host: "", port: 0), to: .init(host: "", port: 0), vip: nil)
        environment["DMSWITCH_OLD_INSTANCE"] = nil
        environment["DMSWITCH_NEW_INSTANCE"] = nil
        environment["DMSWITCH_WORKER_ALIAS"] = ansible.workerAlias
        let failure = HookRunner.run(
            ansible.rollingUpdateCommand, purpose: "run the DM-Ansible rolling update of \(ansible.workerAlias)",
            environment: environment, timeout: timeLeft, workingDirectory: resources.hookDirectory, log: resources.log)
        return failure.map(StepResult.failed) ?? .succeeded
    }

    /// The configuration was validated at load, so this only guards against a
    /// runbook that does not fit the group's scenario.
    private func missing(_ what: String, for step: StepKind) -> StepResult {
        .failed("Could not \(step.name): group \(resources.name) has no \(what) configured.")
    }
}
