extension DMSwitchConfiguration.Detection {
    /// Reads `[detection]`; every key has a default.
    ///
    /// Probing faster than every 100 ms only loads the servers without detecting sooner in
    /// any useful sense, hence the interval's floor.
    static func read(_ reader: inout TableReader) -> Self {
        Self(
            interval: reader.duration("interval", default: .seconds(1), range: .milliseconds(100)...(.seconds(3600))),
            timeout: reader.duration("timeout", default: .seconds(1), range: .milliseconds(1)...(.seconds(3600))),
            failures: reader.integer("failures", default: 3, range: 1...100),
            confirmWithReplicas: reader.boolean("confirm-with-replicas", default: true),
            startupProbes: reader.integer("startup-probes", default: 3, range: 1...100))
    }
}

extension DMSwitchConfiguration.Failover {
    /// Reads `[failover]`; every key has a default. Zero is allowed where it means "none"
    /// (no catch-up wait, no cooldown, no retries, no backoff).
    static func read(_ reader: inout TableReader) -> Self {
        Self(
            automatic: reader.boolean("automatic", default: true),
            catchUpTimeout: reader.duration("catch-up-timeout", default: .seconds(30), range: .zero...(.seconds(3600))),
            cooldown: reader.duration("cooldown", default: .seconds(3600), range: .zero...(.seconds(30 * 24 * 3600))),
            stepRetries: reader.integer("step-retries", default: 3, range: 0...100),
            stepBackoff: reader.duration("step-backoff", default: .seconds(1), range: .zero...(.seconds(600))),
            stepTimeout: reader.duration("step-timeout", default: .seconds(60), range: .seconds(1)...(.seconds(3600))))
    }
}
