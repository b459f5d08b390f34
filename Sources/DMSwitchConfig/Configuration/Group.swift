extension DMSwitchConfiguration {
    /// `[[group]]`: one replication group, which is one DM source and its instances.
    public struct Group: Hashable, Sendable {
        /// The two scenarios of DM's switch procedure.
        public enum Scenario: String, Hashable, Sendable, CaseIterable {
            /// DM reads through a virtual IP that an operator hook moves.
            case vip
            /// DM reads from the instance's own address, which dmswitch changes in DM.
            case address
        }

        /// The DM source id (`source-id`); at most 32 characters, as DM allows.
        public var sourceID: String
        /// How the upstream is changed; carries the scenario's own settings.
        public var switching: Switching
        /// The DM-worker address for dmctl `-w` (DM v1 only; `nil` with v2+).
        public var workerAddress: HostPort?
        /// The tasks to manage; `nil` means every task with a subtask on the source.
        public var tasks: [String]?
        /// The instances, in file order; at least two.
        public var instances: [Instance]

        public init(
            sourceID: String, switching: Switching, workerAddress: HostPort?, tasks: [String]?, instances: [Instance]
        ) {
            self.sourceID = sourceID
            self.switching = switching
            self.workerAddress = workerAddress
            self.tasks = tasks
            self.instances = instances
        }

        public var scenario: Scenario {
            switch switching {
            case .vip: .vip
            case .address: .address
            }
        }

        /// The VIP settings, when the scenario is `vip`.
        public var vip: VIP? {
            if case .vip(let vip) = switching { return vip }
            return nil
        }

        /// The address-change settings, when the scenario is `address`.
        public var addressChange: AddressChange? {
            if case .address(let change) = switching { return change }
            return nil
        }

        /// The instance at `address`.
        public func instance(at address: HostPort) -> Instance? {
            instances.first { $0.address == address }
        }
    }

    /// How a group's upstream is changed; each case holds exactly what its runbook needs.
    public enum Switching: Hashable, Sendable {
        case vip(VIP)
        case address(AddressChange)
    }

    /// Scenario `vip`: DM's source address is a virtual IP that a hook moves.
    public struct VIP: Hashable, Sendable {
        /// The virtual address DM's source points at (`vip`); never an instance's address.
        public var address: HostPort
        /// Moves the VIP to the new upstream (`vip-move-command`).
        public var moveCommand: ExternalCommand
        public var moveTimeout: Duration

        public init(address: HostPort, moveCommand: ExternalCommand, moveTimeout: Duration) {
            self.address = address
            self.moveCommand = moveCommand
            self.moveTimeout = moveTimeout
        }
    }

    /// Scenario `address`: DM is told the new instance's address and the tasks are restarted.
    public struct AddressChange: Hashable, Sendable {
        /// The saved task files `start-task` is given (dmctl's `config task` hides passwords,
        /// so these are the operator's own files).
        public var taskFiles: [String]
        /// Where the address is rewritten, which depends on the DM generation.
        public var repoint: Repoint

        public init(taskFiles: [String], repoint: Repoint) {
            self.taskFiles = taskFiles
            self.repoint = repoint
        }
    }

    /// Where the address-change runbook writes the new upstream.
    public enum Repoint: Hashable, Sendable {
        /// DM v2+: the source file (`source-file`) given to `operate-source create`.
        case sourceFile(String)
        /// DM v1.0: the worker's DM-Ansible inventory entry, applied by a rolling update.
        case dmAnsible(DMAnsible)
    }

    /// DM v1.0's address change: the inventory line of the worker and the rolling update.
    public struct DMAnsible: Hashable, Sendable {
        /// The DM-Ansible `inventory.ini` whose `mysql_host`/`mysql_port` are rewritten.
        public var inventoryFile: String
        /// The rolling update of the worker (`rolling-update-command`).
        public var rollingUpdateCommand: ExternalCommand
        /// The worker's alias in the inventory (`dm_worker1`).
        public var workerAlias: String

        public init(inventoryFile: String, rollingUpdateCommand: ExternalCommand, workerAlias: String) {
            self.inventoryFile = inventoryFile
            self.rollingUpdateCommand = rollingUpdateCommand
            self.workerAlias = workerAlias
        }
    }

    /// `[[group.instance]]`: one MySQL/MariaDB server of a group.
    public struct Instance: Hashable, Sendable {
        /// Unique across all groups.
        public var address: HostPort
        /// The name in logs and status; defaults to the address.
        public var name: String
        /// Higher is preferred among qualifying candidates.
        public var priority: Int
        /// Never chosen as a candidate (a backup or a delayed replica, say).
        public var noFailover: Bool

        public init(address: HostPort, name: String, priority: Int, noFailover: Bool) {
            self.address = address
            self.name = name
            self.priority = priority
            self.noFailover = noFailover
        }
    }
}
