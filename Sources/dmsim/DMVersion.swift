import Foundation

/// The DM release dmsim pretends to be; it selects syntax, reply shapes and semantics.
///
/// The switches follow DM's own history (dm-interface §1): v1.0 addresses workers with `-w`
/// and has `switch-relay-master`; v2.0 introduced sources and `-s`; `stop-task` sends
/// `op: "Delete"` from v6.0 on; `SyncStatus` grew fields in v2.0.0, v2.0.4, v6.0 and v6.4;
/// `SubTaskStatus.validation` exists from v6.2.
struct DMVersion: Equatable, Comparable, CustomStringConvertible, Sendable {
    var major: Int
    var minor: Int
    var patch: Int

    /// Parses `v6.5.0`, `6.5.0`, `v2.0` (missing parts are zero).
    init?(_ text: String) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasPrefix("v") || body.hasPrefix("V") { body = body.dropFirst() }
        let core = body.split(separator: "-", maxSplits: 1).first ?? ""
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard let number = Int(part), number >= 0 else { return nil }
            numbers.append(number)
        }
        while numbers.count < 3 { numbers.append(0) }
        guard numbers[0] >= 1 else { return nil }
        major = numbers[0]; minor = numbers[1]; patch = numbers[2]
    }

    init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major; self.minor = minor; self.patch = patch
    }

    var description: String { "v\(major).\(minor).\(patch)" }

    static func < (lhs: DMVersion, rhs: DMVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    /// DM v1.0: workers instead of sources, relay always on, `switch-relay-master`.
    var isV1: Bool { major == 1 }

    /// The `op` name `stop-task` sends: `Delete` from v6.0 on, `Stop` before.
    var stopOperation: String { self >= DMVersion(6, 0, 0) ? "Delete" : "Stop" }

    var hasBinlogType: Bool { !isV1 }
    var hasSecondsBehindMaster: Bool { self >= DMVersion(2, 0, 4) }
    var hasBlockDDLOwner: Bool { self >= DMVersion(6, 0, 0) }
    var hasRowCounters: Bool { self >= DMVersion(6, 4, 0) }
    var hasValidation: Bool { self >= DMVersion(6, 2, 0) }
    /// `checkResult` in the `start-task` reply.
    var hasCheckResult: Bool { !isV1 }
}
