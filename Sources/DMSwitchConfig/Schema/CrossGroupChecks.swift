/// Checks that compare groups with each other: what must be unique across the whole file.
///
/// An instance in two groups would be watched and switched twice; a VIP that equals an
/// instance's address would make "move the VIP" a no-op that looks like success; two v1
/// groups on one DM-worker contradict DM v1's one-worker-one-source design.
enum CrossGroupChecks {
    static func run(_ readings: [DMSwitchConfiguration.Group.Reading], context: SchemaContext) {
        checkSourceIDs(readings, context: context)
        checkAddresses(readings, context: context)
    }

    private static func checkSourceIDs(_ readings: [DMSwitchConfiguration.Group.Reading], context: SchemaContext) {
        var first: [String: SourceLocation] = [:]
        for reading in readings {
            guard let sourceID = reading.sourceID else { continue }
            if let earlier = first[sourceID.value] {
                context.error(
                    "source-id \(TOMLKey.quoted(sourceID.value)) is already used by the [[group]] at line \(earlier.line); "
                        + "each group is one DM source",
                    at: sourceID.location, key: "\(reading.label.keyPath).source-id")
            } else {
                first[sourceID.value] = reading.location ?? sourceID.location
            }
        }
    }

    private static func checkAddresses(_ readings: [DMSwitchConfiguration.Group.Reading], context: SchemaContext) {
        // Every instance address, with the group that has it.
        var instances: [HostPort: (location: SourceLocation, group: Int)] = [:]
        for (groupOffset, reading) in readings.enumerated() {
            for (offset, address) in reading.instanceAddresses.enumerated() {
                if let earlier = instances[address.value] {
                    let place = earlier.group == groupOffset ? "this group" : readings[earlier.group].label.name
                    context.error(
                        "instance address \(TOMLKey.quoted(address.value.description)) is already used in \(place) "
                            + "at line \(earlier.location.line); an instance belongs to one group, once",
                        at: address.location, key: "group[\(groupOffset + 1)].instance[\(offset + 1)].address")
                } else {
                    instances[address.value] = (address.location, groupOffset)
                }
            }
        }
        // The header of the group that has each VIP and v1 worker address.
        var vips: [HostPort: SourceLocation] = [:]
        var workers: [HostPort: SourceLocation] = [:]
        for reading in readings {
            if let vip = reading.vip {
                if let instance = instances[vip.value] {
                    context.error(
                        "vip \(TOMLKey.quoted(vip.value.description)) of \(reading.label.name) is the address of the "
                            + "instance at line \(instance.location.line); the VIP must be an address of its own",
                        at: vip.location, key: "\(reading.label.keyPath).vip")
                }
                if let earlier = vips[vip.value] {
                    context.error(
                        "vip \(TOMLKey.quoted(vip.value.description)) is already the VIP of the [[group]] at line "
                            + "\(earlier.line); each group needs its own",
                        at: vip.location, key: "\(reading.label.keyPath).vip")
                } else {
                    vips[vip.value] = reading.location ?? vip.location
                }
            }
            if let worker = reading.workerAddress {
                if let earlier = workers[worker.value] {
                    context.error(
                        "worker-addr \(TOMLKey.quoted(worker.value.description)) is already used by the [[group]] at "
                            + "line \(earlier.line); in DM v1 a DM-worker serves one source",
                        at: worker.location, key: "\(reading.label.keyPath).worker-addr")
                } else {
                    workers[worker.value] = reading.location ?? worker.location
                }
            }
        }
    }
}
