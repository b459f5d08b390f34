import Glibc

/// dmswitch.toml for a lab: every instance by name, the lab's DM (dmsim),
/// hooks and files, and the detection profile of the options.
enum LabConfiguration {
    /// The effective group of the user running the lab: dmswitchd hands its control
    /// socket to this group (chown), which only works for a group the user is in —
    /// "root" works for root only, and `make demo` also runs as an ordinary user.
    static var controlGroup: String {
        guard let entry = getgrgid(getegid()) else { return "root" }
        return String(cString: entry.pointee.gr_name)
    }

    static func text(for lab: DeploymentLab, daemon: LabDaemonFiles, coordination: LabCoordination? = nil) -> String {
        let options = lab.options
        let sandbox = lab.sandbox
        var text = """
            # dmswitch.toml written by the deployment lab.
            [daemon]
            state-dir = "\(daemon.stateDirectory)"
            control-socket = "\(daemon.controlSocket)"
            control-group = "\(controlGroup)"
            syslog-socket = "\(lab.directory)/run/log.sock"
            \(daemon.nodeName.map { "node-name = \"\($0)\"" } ?? "")

            [dm]
            dmctl-path = "\(lab.binaries.dmsim)"
            master-addr = ["\(LabOptions.masterAddress)"]
            version = "\(options.dmVersion)"
            command-timeout = "20s"
            work-dir = "\(lab.directory)/dm"

            [detection]
            interval = "\(options.detectionInterval)"
            timeout = "\(options.detectionTimeout)"
            failures = \(options.failures)
            confirm-with-replicas = \(options.confirmWithReplicas)

            [failover]
            catch-up-timeout = "\(options.catchUpTimeout)"
            cooldown = "\(options.cooldown)"
            step-backoff = "500ms"

            [mysql]
            user = "\(sandbox.users.monitor.user)"
            password-file = "\(sandbox.users.monitor.passwordFile)"

            \(coordination.map(\.section) ?? "")

            [[group]]
            source-id = "\(LabOptions.sourceID)"

            """
        switch options.scenario {
        case .vip:
            let vip = sandbox.vip.map { "\($0.host):\($0.port)" } ?? ""
            text += """
                scenario = "vip"
                vip = "\(vip)"
                vip-move-command = ["\(lab.directory)/move-vip.sh"]
                vip-move-timeout = "20s"

                """
        case .address:
            text += """
                scenario = "address"
                task-files = ["\(lab.taskFile)"]

                """
            if options.isV1 {
                text += """
                    inventory-file = "\(lab.inventoryFile)"
                    worker-alias = "\(LabOptions.workerAlias)"
                    rolling-update-command = [\((["\(lab.binaries.dmsim)"] + lab.rollingUpdateArguments).map { "\"\($0)\"" }.joined(separator: ", "))]

                    """
            } else {
                text += "source-file = \"\(lab.sourceFile)\"\n"
            }
        }
        if options.isV1 {
            text += "worker-addr = \"\(LabOptions.workerAddress)\"\n"
        }
        for instance in sandbox.instances {
            let priority = options.priorities.indices.contains(instance.number - 1) ? options.priorities[instance.number - 1] : 0
            text += """

                [[group.instance]]
                name = "\(instance.name)"
                address = "\(instance.host):\(instance.port)"
                priority = \(priority)

                """
        }
        return text
    }
}
