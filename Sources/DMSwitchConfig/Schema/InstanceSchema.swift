extension DMSwitchConfiguration.Instance {
    /// What reading one `[[group.instance]]` yields: the instance if it is valid, and the
    /// located values the group-wide checks compare.
    struct Reading {
        var instance: DMSwitchConfiguration.Instance?
        var address: Located<HostPort>?
        var name: Located<String>?
    }

    /// Reads one `[[group.instance]]` (`number` counts from 1 within the group).
    static func read(_ table: TOMLTable, number: Int, group: GroupLabel, context: SchemaContext) -> Reading {
        var reader = TableReader(
            table: table, name: "[[group.instance]] #\(number) of \(group.name)",
            keyPath: "\(group.keyPath).instance[\(number)]", context: context)
        if case .string(let text)? = table.entry("address")?.node.value, (try? HostPort(text)) != nil {
            reader.name = "[[group.instance]] \(TOMLKey.quoted(text))"
        }
        let address = reader.hostPort("address", required: true)
        let name = reader.name("name", maximumLength: 64)
        let priority = reader.integer("priority", default: 0, range: Int(Int32.min)...Int(Int32.max))
        let noFailover = reader.boolean("no-failover", default: false)
        reader.reportUnknownKeys()

        guard let address else { return Reading(instance: nil, address: nil, name: name) }
        let instance = Self(
            address: address.value, name: name?.value ?? address.value.description, priority: priority,
            noFailover: noFailover)
        return Reading(instance: instance, address: address, name: name ?? Located(value: instance.name, location: address.location))
    }
}

/// How a `[[group]]` is named in messages and problem keys.
struct GroupLabel {
    /// `[[group]] "orders"`, or `[[group]] #2` when its source-id is unusable.
    var name: String
    /// `group[2]`.
    var keyPath: String
}
