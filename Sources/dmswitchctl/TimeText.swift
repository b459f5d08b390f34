import Foundation
import Glibc

/// Absolute local times with the zone, so a 3 a.m. reader never has to guess: `2025-11-21 09:50:48 UTC`.
enum TimeText {
    static func format(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&t, &parts)
        let zone = parts.tm_zone.map { String(cString: $0) } ?? ""
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))" + (zone.isEmpty ? "" : " \(zone)")
    }

    /// The time of day only, for steps listed under their run.
    static func timeOfDay(_ date: Date) -> String {
        let full = format(date)
        let parts = full.split(separator: " ")
        return parts.count >= 2 ? String(parts[1]) : full
    }

    private static func two(_ value: Int32) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
