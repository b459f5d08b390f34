/// Checks that compare groups with each other: what must be unique across the whole file.
///
/// An instance in two groups would be watched and switched twice; a VIP that equals an
/// instance's address would make "move the VIP" a no-op that looks like success; two v1
/// groups on one DM-worker contradict DM v1's one-worker-one-source design.
enum CrossGroupChecks {
    static func run(_ readings: [DMSwitchConfiguration.Group.Reading], context: SchemaContext) {
        // Instance addresses, with the group (its offset) that has them.
        var instances = FirstSeen<HostPort, (location: SourceLocation, group: Int)>()
        // The header of the group that uses each source-id, VIP and v1 worker address.
        var sourceIDs = FirstSeen<String, SourceLocation>()
        var vips = FirstSeen<HostPort, SourceLocation>()
        var workers = FirstSeen<HostPort, SourceLocation>()

        for (groupOffset, reading) in readings.enumerated() {
            let header = reading.location ?? SourceLocation(line: 1, column: 1)
            if let sourceID = reading.sourceID, let earlier = sourceIDs.earlier(sourceID.value, at: header) {
                context.error(
                    "source-id \(TOMLKey.quoted(sourceID.value)) is already used by the [[group]] at line \(earlier.line); "
                        + "each group is one DM source",
                    at: sourceID.location, key: "\(reading.label.keyPath).source-id")
            }
            for (offset, address) in reading.instanceAddresses.enumerated() {
                guard let earlier = instances.earlier(address.value, at: (address.location, groupOffset)) else { continue }
                let place = earlier.group == groupOffset ? "this group" : readings[earlier.group].label.name
                context.error(
                    "instance address \(TOMLKey.quoted(address.value.description)) is already used in \(place) "
                        + "at line \(earlier.location.line); an instance belongs to one group, once",
                    at: address.location, key: "\(reading.label.keyPath).instance[\(offset + 1)].address")
            }
            if let worker = reading.workerAddress, let earlier = workers.earlier(worker.value, at: header) {
                context.error(
                    "worker-addr \(TOMLKey.quoted(worker.value.description)) is already used by the [[group]] at "
                        + "line \(earlier.line); in DM v1 a DM-worker serves one source",
                    at: worker.location, key: "\(reading.label.keyPath).worker-addr")
            }
            if let vip = reading.vip, let earlier = vips.earlier(vip.value, at: header) {
                context.error(
                    "vip \(TOMLKey.quoted(vip.value.description)) is already the VIP of the [[group]] at line "
                        + "\(earlier.line); each group needs its own",
                    at: vip.location, key: "\(reading.label.keyPath).vip")
            }
        }
        // A VIP may not be any group's instance, including a later group's.
        for reading in readings {
            guard let vip = reading.vip, let instance = instances.place(of: vip.value) else { continue }
            context.error(
                "vip \(TOMLKey.quoted(vip.value.description)) of \(reading.label.name) is the address of the "
                    + "instance at line \(instance.location.line); the VIP must be an address of its own",
                at: vip.location, key: "\(reading.label.keyPath).vip")
        }
    }
}
