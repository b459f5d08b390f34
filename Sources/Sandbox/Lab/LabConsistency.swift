import Foundation
import Upstream

/// Whether everything the application wrote reached DM's downstream exactly
/// once: the table on the group's primary and on the downstream compared by
/// row count, distinct ids and checksum, and every acknowledged id present.
public struct LabConsistency: Sendable, CustomStringConvertible {
    public var primaryRows: Int
    public var downstreamRows: Int
    public var downstreamDistinctIDs: Int
    public var primaryChecksum: String
    public var downstreamChecksum: String
    /// Acknowledged ids the downstream lacks.
    public var missingAcknowledged: [UInt64]

    /// Same rows, no duplicates, same checksum, nothing acknowledged missing.
    public var isExact: Bool {
        primaryRows == downstreamRows && downstreamRows == downstreamDistinctIDs
            && primaryChecksum == downstreamChecksum && missingAcknowledged.isEmpty
    }

    public var description: String {
        "primary \(primaryRows) rows (checksum \(primaryChecksum)), downstream \(downstreamRows) rows, "
            + "\(downstreamDistinctIDs) distinct (checksum \(downstreamChecksum)), "
            + "\(missingAcknowledged.count) acknowledged ids missing downstream"
    }
}

extension DeploymentLab {
    /// Compares the primary's `dmsandbox.<table>` with the downstream's, waiting
    /// up to `timeout` for DM to catch up; returns the last comparison.
    public func consistency(table: String = "writes", acknowledged: [UInt64] = [], timeout: Duration = .seconds(60)) async throws(SandboxError) -> LabConsistency {
        let deadline = ContinuousClock.now + timeout
        var last: LabConsistency
        repeat {
            last = try await compare(table: table, acknowledged: acknowledged)
            if last.isExact { return last }
            try? await Task.sleep(for: .milliseconds(250))
        } while ContinuousClock.now < deadline
        return last
    }

    private func compare(table: String, acknowledged: [UInt64]) async throws(SandboxError) -> LabConsistency {
        let primary = sandbox.primary.number
        let qualified = "dmsandbox.`\(table)`"
        func scalar(_ sql: String, on number: Int) async throws(SandboxError) -> String {
            let rows = try await sandbox.query(sql, on: number)
            return rows.first?.values.last.flatMap { $0 } ?? ""
        }
        let primaryRows = Int(try await scalar("SELECT COUNT(*) FROM \(qualified)", on: primary)) ?? -1
        let primarySum = try await scalar("CHECKSUM TABLE \(qualified) EXTENDED", on: primary)
        // DM creates the table downstream when it replicates the CREATE TABLE: until then
        // the downstream has no rows (a comparison to wait on, not an error).
        let created = try await scalar(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'dmsandbox' AND table_name = \(SQLText.literal(table))", on: 0)
        guard created != "0" else {
            return LabConsistency(
                primaryRows: primaryRows, downstreamRows: 0, downstreamDistinctIDs: 0, primaryChecksum: primarySum,
                downstreamChecksum: "(no table)", missingAcknowledged: acknowledged)
        }
        let downstreamRows = Int(try await scalar("SELECT COUNT(*) FROM \(qualified)", on: 0)) ?? -1
        let distinct = Int(try await scalar("SELECT COUNT(DISTINCT id) FROM \(qualified)", on: 0)) ?? -1
        let downstreamSum = try await scalar("CHECKSUM TABLE \(qualified) EXTENDED", on: 0)
        var missing: [UInt64] = []
        if !acknowledged.isEmpty {
            let present = Set(try await sandbox.query("SELECT id FROM \(qualified)", on: 0).compactMap { $0.values.first.flatMap { $0 }.flatMap { UInt64($0) } })
            missing = acknowledged.filter { !present.contains($0) }
        }
        return LabConsistency(
            primaryRows: primaryRows, downstreamRows: downstreamRows, downstreamDistinctIDs: distinct,
            primaryChecksum: primarySum, downstreamChecksum: downstreamSum, missingAcknowledged: missing)
    }

    /// dmsim's verdict: the violations it flagged (a running subtask reading
    /// from a server other than the one it was started or resumed on).
    public func violations() throws(SandboxError) -> [String] {
        let outcome = try dmsim(["sim-violations"])
        if outcome.status.isSuccess { return [] }
        return outcome.stdout.split(separator: "\n").map(String.init)
    }
}
