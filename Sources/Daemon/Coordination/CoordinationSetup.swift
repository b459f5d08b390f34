import Coordination
import DMSwitchConfig
import Foundation
import Glibc

/// Builds the etcd coordinator from `[coordination]`, or nothing when no endpoint is
/// configured (one host: the local journal, every group acting).
enum CoordinationSetup {
    static func coordinator(_ configuration: DMSwitchConfiguration) throws(DaemonStartError) -> EtcdCoordinator? {
        let coordination = configuration.coordination
        guard !coordination.etcd.isEmpty else { return nil }
        let credentials = try Self.credentials(coordination)
        let ttl = coordination.leaseTTL
        let client: EtcdClient
        do {
            client = try EtcdClient(EtcdClientConfiguration(
                endpoints: coordination.etcd.map(\.description), requestTimeout: requestTimeout(leaseTTL: ttl),
                credentials: credentials,
                tls: EtcdTLSSettings(certificateAuthorityFile: coordination.etcdCA, clientCertificateFile: coordination.etcdCert,
                                     clientKeyFile: coordination.etcdKey),
                watchIdleTimeout: watchIdleTimeout(leaseTTL: ttl)))
        } catch {
            throw DaemonStartError("The etcd settings of [coordination] cannot be used: \(error)")
        }
        let keys: CoordinationKeys
        do {
            keys = try CoordinationKeys(prefix: coordination.prefix)
            for group in configuration.groups { _ = try keys.owner(group.sourceID) }
        } catch {
            throw DaemonStartError("Coordination through etcd cannot work: \(error)")
        }
        let node = configuration.daemon.nodeName
        let pid = getpid()
        let owner = OwnerIdentity(id: "\(node)/\(pid)/\(UUID().uuidString.prefix(8).lowercased())", host: node, pid: pid)
        return EtcdCoordinator(client: client, keys: keys, owner: owner, leaseTTL: ttl)
    }

    /// One request to one endpoint may take a third of the lease TTL (between 1 and 5 s): a
    /// fenced write that takes longer than the lease itself would prove nothing, and a daemon
    /// keeps its lease alive every third of the TTL.
    static func requestTimeout(leaseTTL: Duration) -> Duration {
        min(max(leaseTTL / 3, .seconds(1)), .seconds(5))
    }

    /// etcd sends a watch's progress notifications only every ten minutes by default, so an
    /// idle watch is reopened (with a fresh read) after this long: three lease TTLs, at least
    /// 10 s. It bounds how long a hung etcd member could keep a hold from this daemon.
    static func watchIdleTimeout(leaseTTL: Duration) -> Duration {
        max(leaseTTL * 3, .seconds(10))
    }

    private static func credentials(_ coordination: DMSwitchConfiguration.Coordination) throws(DaemonStartError) -> EtcdCredentials? {
        guard let user = coordination.etcdUser, let file = coordination.etcdPasswordFile else { return nil }
        do {
            var password = try String(contentsOfFile: file, encoding: .utf8)
            while password.hasSuffix("\n") || password.hasSuffix("\r") { password.removeLast() }
            return EtcdCredentials(user: user, password: password)
        } catch {
            throw DaemonStartError("Could not read the etcd password file \(file): \(error.localizedDescription)")
        }
    }
}
