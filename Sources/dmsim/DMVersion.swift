import DM

/// The reply-shape switches of the DM release dmsim pretends to be (module DM's `DMVersion`).
///
/// `SyncStatus` grew fields in v2.0.0 (`binlogType`), v2.0.4 (`secondsBehindMaster`), v6.0
/// (`blockDDLOwner`, `conflictMsg`) and v6.4 (`totalRows`, `totalRps`, `recentRps`);
/// `SubTaskStatus.validation` exists from v6.2 (dm-interface §1.1, §4.1).
extension DMVersion {
    init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.init(major: major, minor: minor, patch: patch)
    }

    var stopOperation: String { stopTaskOperation }
    var hasBinlogType: Bool { !isV1 }
    var hasSecondsBehindMaster: Bool { self >= DMVersion(2, 0, 4) }
    var hasBlockDDLOwner: Bool { self >= DMVersion(6, 0, 0) }
    var hasRowCounters: Bool { self >= DMVersion(6, 4, 0) }
    var hasValidation: Bool { self >= DMVersion(6, 2, 0) }
    /// `checkResult` in the `start-task` reply.
    var hasCheckResult: Bool { !isV1 }
}
