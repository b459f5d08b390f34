extension DMSwitchConfiguration.DM {
    /// Reads `[dm]`. `master-addr` is required; `work-dir` defaults to `<state-dir>/dmctl`.
    static func read(_ reader: inout TableReader, stateDirectory: String) -> Self? {
        let backend: Backend = reader.choice("backend") ?? .dmctl
        let dmctlPath = reader.path("dmctl-path", reference: .executable)?.value
        if dmctlPath == nil, !reader.contains("dmctl-path") {
            reader.context.reference(defaultDmctlPath, .executable, at: reader.location, key: reader.fullKey("dmctl-path"))
        }
        let masterAddresses = reader.hostPorts("master-addr", required: true)
        let version = reader.parsed("version", what: "DM version", example: "\"v6.5.0\"", parse: DMVersion.init)
        let commandTimeout = reader.duration("command-timeout", default: .seconds(30), range: .seconds(1)...(.seconds(3600)))
        let workDirectory = reader.path("work-dir", default: stateDirectory + "/dmctl")
        let ca = reader.path("ssl-ca", reference: .readable)
        let cert = reader.path("ssl-cert", reference: .readable)
        let key = reader.path("ssl-key", reference: .readable)
        reader.requireTogether(("ssl-cert", cert), ("ssl-key", key))

        guard let masterAddresses else { return nil }
        let tls = ca == nil && cert == nil && key == nil ? nil : TLS(ca: ca?.value, cert: cert?.value, key: key?.value)
        return Self(
            backend: backend, dmctlPath: dmctlPath ?? defaultDmctlPath, masterAddresses: masterAddresses.value.map(\.value),
            version: version?.value ?? defaultVersion, commandTimeout: commandTimeout, workDirectory: workDirectory,
            tls: tls)
    }

    static let defaultDmctlPath = "/usr/local/bin/dmctl"

    /// `"v2"`: DM v2 or later, release unknown.
    static var defaultVersion: DMVersion {
        DMVersion(generation: .v2plus, release: nil, raw: "v2")
    }
}
