extension DMSwitchConfiguration.Coordination {
    /// Reads `[coordination]`. Without `etcd` the daemon acts alone, and the etcd-only keys
    /// are errors rather than silently unused.
    static func read(_ reader: inout TableReader) -> Self {
        let endpoints = readEndpoints(&reader)
        let user = reader.name("etcd-user", maximumLength: 128)
        reader.reject("etcd-password", because: "the password is never written in the main file; use etcd-password-file")
        let passwordFile = reader.path("etcd-password-file", reference: .secret)
        let ca = reader.path("etcd-ca", reference: .readable)
        let cert = reader.path("etcd-cert", reference: .readable)
        let key = reader.path("etcd-key", reference: .readable)
        reader.requireTogether(("etcd-cert", cert), ("etcd-key", key))
        reader.requireTogether(("etcd-user", user), ("etcd-password-file", passwordFile))
        if endpoints.isEmpty {
            for etcdOnly in ["etcd-user", "etcd-password-file", "etcd-ca", "etcd-cert", "etcd-key"] {
                reader.inapplicable(etcdOnly, appliesOnlyTo: "coordination through etcd (key \"etcd\" lists no endpoint)")
            }
        }
        // etcd leases are granted in whole seconds (etcd API, LeaseGrantRequest.TTL).
        let leaseTTL = reader.duration(
            "lease-ttl", default: .seconds(10), range: .seconds(2)...(.seconds(3600)), wholeSeconds: true)
        let prefix = readPrefix(&reader) ?? "/dmswitch"
        return Self(
            etcd: endpoints, etcdUser: user?.value, etcdPasswordFile: passwordFile?.value, etcdCA: ca?.value,
            etcdCert: cert?.value, etcdKey: key?.value, leaseTTL: leaseTTL, prefix: prefix)
    }

    private static func readEndpoints(_ reader: inout TableReader) -> [EtcdEndpoint] {
        let key = "etcd"
        guard let list = reader.stringArray(key, expected: "an array of URLs such as [\"https://10.0.0.5:2379\"]", allowEmpty: true)
        else { return [] }
        var endpoints: [Located<EtcdEndpoint>] = []
        for (offset, element) in list.value.enumerated() {
            do throws(ValueParseError) {
                endpoints.append(Located(value: try EtcdEndpoint(element.value), location: element.location))
            } catch {
                reader.error(
                    "element \(offset + 1) of \(reader.describe(key)) is not a valid URL: \(error.reason)",
                    at: element.location, key: key)
            }
        }
        _ = reader.reportRepeats(key, endpoints, display: \.description)
        return endpoints.map(\.value)
    }

    /// An etcd key prefix: starts with `/`, does not end with one, no spaces.
    private static func readPrefix(_ reader: inout TableReader) -> String? {
        let key = "prefix"
        guard let found = reader.name(key, maximumLength: 256) else { return nil }
        guard found.value.hasPrefix("/"), found.value.count > 1, !found.value.hasSuffix("/") else {
            reader.error(
                "\(reader.describe(key)) must start with '/' and not end with one, e.g. \"/dmswitch\", "
                    + "found \(TOMLKey.quoted(found.value))",
                at: found.location, key: key)
            return nil
        }
        return found.value
    }
}
