/// `list-member [--leader] [--master] [--worker] [-n names]` (v2+, dm-interface §3.6).
extension SimContext {
    func listMember(_ invocation: Invocation) -> CommandReply {
        let all = !invocation.switches.contains("leader") && !invocation.switches.contains("master")
            && !invocation.switches.contains("worker")
        let names = Set(invocation.names)
        var members: [ReplyJSON] = []
        let masters = config.masterAddrs.enumerated().map { index, addr in (name: "master\(index + 1)", addr: addr) }
        if all || invocation.switches.contains("leader"), let leader = masters.first {
            members.append(.object([("leader", .object([("msg", .string("")), ("name", .string(leader.name)),
                                                         ("addr", .string(leader.addr))]))]))
        }
        if all || invocation.switches.contains("master") {
            let items = masters.filter { names.isEmpty || names.contains($0.name) }.enumerated().map { index, master -> ReplyJSON in
                let host = master.addr.split(separator: ":").first.map(String.init) ?? master.addr
                let port = Int(master.addr.split(separator: ":").last ?? "") ?? 8261
                return .object([
                    ("name", .string(master.name)), ("memberID", .string(String(9_173_246_551_120_430_080 &+ UInt64(index)))),
                    ("alive", .bool(true)), ("peerURLs", .array([.string("http://\(host):\(port + 30)")])),
                    ("clientURLs", .array([.string("http://\(master.addr)")])),
                ])
            }
            members.append(.object([("master", .object([("msg", .string("")), ("masters", .array(items))]))]))
        }
        if all || invocation.switches.contains("worker") {
            let items = config.workers.filter { names.isEmpty || names.contains($0.name) }.sorted { $0.name < $1.name }
                .map { worker -> ReplyJSON in
                    let source = state.sources.values.first { $0.worker == worker.name }
                    return .object([("name", .string(worker.name)), ("addr", .string(worker.addr)),
                                    ("stage", .string(source == nil ? "free" : "bound")), ("source", .string(source?.id ?? ""))])
                }
            members.append(.object([("worker", .object([("msg", .string("")), ("workers", .array(items))]))]))
        }
        return .json(.object([("result", .bool(true)), ("msg", .string("")), ("members", .array(members))]))
    }
}
