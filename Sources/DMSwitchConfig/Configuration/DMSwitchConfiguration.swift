/// Everything dmswitch.toml configures, validated: every value here passed the schema's type,
/// range and cross-field checks, so the daemon reads fields and never re-validates.
///
/// Build one with `ConfigLoader.load(path:)`. Sections mirror the file's tables
/// (`[daemon]` → `daemon`, `[[group]]` → `groups`).
public struct DMSwitchConfiguration: Hashable, Sendable {
    public var daemon: Daemon
    public var dm: DM
    public var detection: Detection
    public var failover: Failover
    public var mysql: MySQL
    public var coordination: Coordination
    /// The replication groups, in file order; at least one, `sourceID`s unique.
    public var groups: [Group]

    public init(
        daemon: Daemon, dm: DM, detection: Detection, failover: Failover, mysql: MySQL,
        coordination: Coordination, groups: [Group]
    ) {
        self.daemon = daemon
        self.dm = dm
        self.detection = detection
        self.failover = failover
        self.mysql = mysql
        self.coordination = coordination
        self.groups = groups
    }

    /// The group whose DM source is `sourceID`.
    public func group(sourceID: String) -> Group? {
        groups.first { $0.sourceID == sourceID }
    }
}

extension DMSwitchConfiguration {
    /// `[daemon]`: where the daemon keeps its state and how it talks to operators and syslog.
    public struct Daemon: Hashable, Sendable {
        /// Journal and state files (`state-dir`, default `/var/lib/dmswitch`).
        public var stateDirectory: String
        /// The Unix socket dmswitchctl connects to (`control-socket`).
        public var controlSocket: String
        /// The group allowed to use the control socket (`control-group`, default `dmswitch`).
        public var controlGroup: String
        /// Where syslog messages go (`syslog-socket`, default `/dev/log`, journald's socket).
        public var syslogSocket: String
        public var syslogFacility: SyslogFacility
        /// This daemon's name in logs and status (`node-name`, default: the host name).
        public var nodeName: String
        /// The least important priority written (`log-level`, default info).
        public var logLevel: LogLevel

        public init(
            stateDirectory: String, controlSocket: String, controlGroup: String, syslogSocket: String,
            syslogFacility: SyslogFacility, nodeName: String, logLevel: LogLevel = .info
        ) {
            self.stateDirectory = stateDirectory
            self.controlSocket = controlSocket
            self.controlGroup = controlGroup
            self.syslogSocket = syslogSocket
            self.syslogFacility = syslogFacility
            self.nodeName = nodeName
            self.logLevel = logLevel
        }
    }

    /// `[dm]`: how DM is reached and which of its versions it is.
    public struct DM: Hashable, Sendable {
        /// How dmswitch drives DM; dmctl is the only backend so far.
        public enum Backend: String, Hashable, Sendable, CaseIterable {
            case dmctl
        }

        /// dmctl's TLS flags `--ssl-ca`, `--ssl-cert`, `--ssl-key`; the pair cert/key comes together.
        public struct TLS: Hashable, Sendable {
            public var ca: String?
            public var cert: String?
            public var key: String?

            public init(ca: String?, cert: String?, key: String?) {
                self.ca = ca
                self.cert = cert
                self.key = key
            }
        }

        public var backend: Backend
        public var dmctlPath: String
        /// DM-master addresses (`--master-addr`), at least one.
        public var masterAddresses: [HostPort]
        public var version: DMVersion
        /// The longest a single dmctl invocation may take before it is killed.
        public var commandTimeout: Duration
        /// dmctl's working directory: it writes `dmctl.log` there and fails if it cannot
        /// (`work-dir`, default `<state-dir>/dmctl`).
        public var workDirectory: String
        /// `nil` when no `ssl-*` key is set.
        public var tls: TLS?

        public init(
            backend: Backend, dmctlPath: String, masterAddresses: [HostPort], version: DMVersion,
            commandTimeout: Duration, workDirectory: String, tls: TLS?
        ) {
            self.backend = backend
            self.dmctlPath = dmctlPath
            self.masterAddresses = masterAddresses
            self.version = version
            self.commandTimeout = commandTimeout
            self.workDirectory = workDirectory
            self.tls = tls
        }
    }

    /// `[detection]`: when an instance counts as down.
    public struct Detection: Hashable, Sendable {
        /// Time between probes of one instance.
        public var interval: Duration
        /// Connect and read timeout of one probe.
        public var timeout: Duration
        /// Consecutive failed probes before an instance counts as down.
        public var failures: Int
        /// Whether the replicas' own view (their IO threads) must confirm the upstream is down.
        public var confirmWithReplicas: Bool
        /// No automatic action until every instance was probed this many times, so a daemon
        /// that just started does not act on a partial picture.
        public var startupProbes: Int

        public init(interval: Duration, timeout: Duration, failures: Int, confirmWithReplicas: Bool, startupProbes: Int) {
            self.interval = interval
            self.timeout = timeout
            self.failures = failures
            self.confirmWithReplicas = confirmWithReplicas
            self.startupProbes = startupProbes
        }
    }

    /// `[failover]`: how runs behave.
    public struct Failover: Hashable, Sendable {
        /// Whether a detected failure starts a run by itself (false: only `dmswitchctl switchover`).
        public var automatic: Bool
        /// How long a candidate may take to apply what it received before it is given up.
        public var catchUpTimeout: Duration
        /// No new automatic run for a group this long after a run, unless acknowledged.
        public var cooldown: Duration
        /// Retries of a failed step before the run stops and holds the group.
        public var stepRetries: Int
        public var stepBackoff: Duration
        /// The longest one step may take.
        public var stepTimeout: Duration

        public init(
            automatic: Bool, catchUpTimeout: Duration, cooldown: Duration, stepRetries: Int, stepBackoff: Duration,
            stepTimeout: Duration
        ) {
            self.automatic = automatic
            self.catchUpTimeout = catchUpTimeout
            self.cooldown = cooldown
            self.stepRetries = stepRetries
            self.stepBackoff = stepBackoff
            self.stepTimeout = stepTimeout
        }
    }

    /// `[mysql]`: the account dmswitch observes instances with.
    public struct MySQL: Hashable, Sendable {
        public var user: String
        /// The file holding the password; `nil` when the file says `password-file = ""`
        /// (an account without a password).
        public var passwordFile: String?
        public var tlsCA: String?
        public var tlsCert: String?
        public var tlsKey: String?
        /// Verify the server certificate and host name.
        public var tlsVerify: Bool

        public init(
            user: String, passwordFile: String?, tlsCA: String?, tlsCert: String?, tlsKey: String?, tlsVerify: Bool
        ) {
            self.user = user
            self.passwordFile = passwordFile
            self.tlsCA = tlsCA
            self.tlsCert = tlsCert
            self.tlsKey = tlsKey
            self.tlsVerify = tlsVerify
        }

        /// Whether connections use TLS: any `tls-*` file is set, or verification is asked for.
        public var usesTLS: Bool {
            tlsVerify || tlsCA != nil || tlsCert != nil || tlsKey != nil
        }
    }

    /// `[coordination]`: how several dmswitchd on different hosts agree on who acts.
    public struct Coordination: Hashable, Sendable {
        /// etcd client URLs; empty means this daemon acts alone with its local journal.
        public var etcd: [EtcdEndpoint]
        public var etcdUser: String?
        public var etcdPasswordFile: String?
        public var etcdCA: String?
        public var etcdCert: String?
        public var etcdKey: String?
        /// The etcd lease TTL; whole seconds, as etcd's lease API counts.
        public var leaseTTL: Duration
        /// The etcd key prefix, starting with `/`.
        public var prefix: String

        public init(
            etcd: [EtcdEndpoint], etcdUser: String?, etcdPasswordFile: String?, etcdCA: String?, etcdCert: String?,
            etcdKey: String?, leaseTTL: Duration, prefix: String
        ) {
            self.etcd = etcd
            self.etcdUser = etcdUser
            self.etcdPasswordFile = etcdPasswordFile
            self.etcdCA = etcdCA
            self.etcdCert = etcdCert
            self.etcdKey = etcdKey
            self.leaseTTL = leaseTTL
            self.prefix = prefix
        }

        /// Whether coordination goes through etcd.
        public var usesEtcd: Bool { !etcd.isEmpty }
    }
}
