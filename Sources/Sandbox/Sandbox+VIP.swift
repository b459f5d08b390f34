import Upstream

/// The VIP: where it points, and moving it.
extension Sandbox {
    /// Moves the VIP to instance `number` through HAProxy's runtime API: the
    /// other servers go to maintenance and their client sessions are shut
    /// down (DM-like clients notice at once), then `number` becomes ready.
    public func moveVIP(to number: Int) async throws(SandboxError) {
        try await blocking { () throws(SandboxError) in
            let (vip, record) = try self.vipAndInstance(number, operation: "move the VIP")
            let names = vip.servers.keys.sorted()
            try HAProxyVIP.move(to: record.name, servers: names, socket: vip.adminSocket)
            let targets = try HAProxyVIP.targets(socket: vip.adminSocket)
            guard targets == [record.name] else {
                throw SandboxError("move the VIP to \(record.name)", "HAProxy now sends connections to \(targets)")
            }
        }
    }

    /// The instance number the VIP sends connections to; nil when it points nowhere.
    public func vipTarget() async throws(SandboxError) -> Int? {
        try await blocking { () throws(SandboxError) -> Int? in
            guard let vip = self.vip else { throw SandboxError("read the VIP's target", "this sandbox was started without a VIP") }
            let targets = try HAProxyVIP.targets(socket: vip.adminSocket)
            guard targets.count <= 1 else {
                throw SandboxError("read the VIP's target", "HAProxy sends connections to several servers: \(targets)")
            }
            return targets.first.flatMap { vip.servers[$0] }
        }
    }

    private func vipAndInstance(_ number: Int, operation: String) throws(SandboxError) -> (VIPRecord, InstanceRecord) {
        guard let vip else { throw SandboxError(operation, "this sandbox was started without a VIP") }
        return (vip, try instance(number))
    }
}
