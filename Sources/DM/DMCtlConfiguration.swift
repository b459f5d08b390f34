import GTID

/// Everything the dmctl backend needs to know to run dmctl for one DM cluster.
public struct DMCtlConfiguration: Sendable {
    /// The dmctl binary: a path (recommended: the binary itself, not `tiup dmctl`, whose banner
    /// mixes into the output) or a name looked up in `PATH`.
    public var dmctlPath: String
    /// The DM release; pick the dmctl of the same release (a mismatched dmctl sends ops the
    /// master rejects, dm-interface §3.2).
    public var version: DMVersion
    /// DM-master addresses `host:port`. v2+ passes all of them (dmctl tries each, and any
    /// master forwards to the leader); DM v1.0 has exactly one master.
    public var masterAddresses: [String]
    /// How long one dmctl run may take before its process group is killed. Mutating commands
    /// wait up to ~10 s for the workers, so keep this well above that.
    public var commandTimeout: Duration
    /// A directory owned by the daemon where dmctl runs; dmctl writes `dmctl.log` into its
    /// working directory and exits 2 if it cannot (dm-interface §2.2). Created if missing.
    public var workingDirectory: String
    /// TLS files for the connection to DM-master (v2+ only).
    public var tls: DMTLSFiles?
    /// DM v1.0 only: the DM-worker address (`host:port`, as `-w` expects) of each source-id.
    public var workerAddresses: [String: String]
    /// The GTID flavor of each source-id, for reading GTID fields; sources not listed have
    /// their flavor inferred from the GTID text.
    public var sourceFlavors: [String: GTIDFlavor]
    /// Bytes of stdout and of stderr kept per run; a query-status of many tasks is large.
    public var outputLimit: Int
    /// The environment for dmctl; `nil` inherits the daemon's (systemd variables are always removed).
    public var environment: [String: String]?

    public init(
        dmctlPath: String, version: DMVersion, masterAddresses: [String], commandTimeout: Duration = .seconds(60),
        workingDirectory: String, tls: DMTLSFiles? = nil, workerAddresses: [String: String] = [:],
        sourceFlavors: [String: GTIDFlavor] = [:], outputLimit: Int = 8 << 20, environment: [String: String]? = nil
    ) {
        self.dmctlPath = dmctlPath
        self.version = version
        self.masterAddresses = masterAddresses
        self.commandTimeout = commandTimeout
        self.workingDirectory = workingDirectory
        self.tls = tls
        self.workerAddresses = workerAddresses
        self.sourceFlavors = sourceFlavors
        self.outputLimit = outputLimit
        self.environment = environment
    }

    /// `--rpc-timeout` for v2+: the command timeout minus a grace of a quarter (at most 10 s),
    /// in whole seconds and at least 1 s, so dmctl reports its own RPC timeout (with a
    /// message) before the deadline kills it (without one). dmctl dials each master with a
    /// 3 s timeout before the RPC starts, hence the grace.
    public var rpcTimeout: Duration {
        let total = commandTimeout.components.seconds
        let grace = min(10, total / 4)
        return .seconds(max(1, total - grace))
    }
}

/// TLS material for dmctl's connection to DM-master (`--ssl-ca`, `--ssl-cert`, `--ssl-key`).
/// A client certificate and key are only needed when the master verifies clients.
public struct DMTLSFiles: Hashable, Sendable {
    public var certificateAuthority: String
    public var certificate: String?
    public var key: String?

    public init(certificateAuthority: String, certificate: String? = nil, key: String? = nil) {
        self.certificateAuthority = certificateAuthority
        self.certificate = certificate
        self.key = key
    }
}
