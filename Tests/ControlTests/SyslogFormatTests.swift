import DMSwitchLog
import Foundation
import Testing

@Suite("Syslog datagram format")
struct SyslogFormatTests {
    @Test("The timestamp is C-locale %h %e %T with a space-padded day", arguments: [
        (SyslogTimestamp(month: 11, day: 1, hour: 9, minute: 5, second: 7), "Nov  1 09:05:07"),
        (SyslogTimestamp(month: 1, day: 31, hour: 23, minute: 59, second: 59), "Jan 31 23:59:59"),
        (SyslogTimestamp(month: 5, day: 10, hour: 0, minute: 0, second: 0), "May 10 00:00:00"),
        (SyslogTimestamp(month: 12, day: 9, hour: 12, minute: 30, second: 1), "Dec  9 12:30:01"),
    ])
    func timestamp(_ timestamp: SyslogTimestamp, expected: String) {
        #expect(timestamp.description == expected)
    }

    @Test("The local timestamp has the calendar fields of local time")
    func localTimestamp() throws {
        let epoch = 1_763_718_648  // 2025-11-21 09:50:48 UTC
        let stamp = SyslogTimestamp(localTimeAt: epoch)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let parts = calendar.dateComponents([.month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(epoch)))
        #expect(stamp == SyslogTimestamp(
            month: try #require(parts.month), day: try #require(parts.day), hour: try #require(parts.hour),
            minute: try #require(parts.minute), second: try #require(parts.second)))
    }

    @Test("PRI is facility * 8 + severity", arguments: [
        (SyslogFacility.daemon, LogPriority.notice, Int32(29)),
        (.local3, .err, 155),
        (.user, .info, 14),
        (.kern, .emerg, 0),
        (.local7, .debug, 191),
    ])
    func pri(facility: SyslogFacility, priority: LogPriority, expected: Int32) {
        #expect(facility.pri(priority) == expected)
    }

    @Test("The datagram matches glibc byte for byte: no hostname, no trailing newline")
    func datagram() {
        let bytes = SyslogDatagram.bytes(
            pri: 29, timestamp: SyslogTimestamp(month: 11, day: 21, hour: 9, minute: 50, second: 48),
            identifier: "dmswitchd", pid: 30, message: "decision=hold reason=\"operator\" 100% sure")
        #expect(String(decoding: bytes, as: UTF8.self)
            == "<29>Nov 21 09:50:48 dmswitchd[30]: decision=hold reason=\"operator\" 100% sure")
    }

    @Test("A message longer than 8 KiB is cut on a character boundary with a marker")
    func truncation() {
        let message = String(repeating: "é", count: 5_000)  // 10 000 bytes
        let bytes = SyslogDatagram.bytes(
            pri: 29, timestamp: SyslogTimestamp(month: 1, day: 1, hour: 0, minute: 0, second: 0),
            identifier: "dmswitchd", pid: 1, message: message)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix(SyslogDatagram.truncationMarker))
        #expect(!text.contains("\u{FFFD}"))
        let header = "<29>Jan  1 00:00:00 dmswitchd[1]: ".utf8.count
        #expect(bytes.count - header <= SyslogDatagram.maximumMessageBytes)
        #expect(bytes.count - header > SyslogDatagram.maximumMessageBytes - 8)
    }

    @Test("Facility names parse case-insensitively; an unknown name is a clear error")
    func facilityNames() throws {
        #expect(try SyslogFacility(name: "DAEMON") == .daemon)
        #expect(try SyslogFacility(name: "local3") == .local3)
        let error = #expect(throws: UnknownFacilityError.self) { try SyslogFacility(name: "local9") }
        #expect(error?.description.hasPrefix("The syslog facility \"local9\" is unknown; use one of kern, user, mail, daemon") == true)
    }

    @Test("Priority names include journalctl's spellings", arguments: [
        ("err", LogPriority.err), ("error", .err), ("warning", .warning), ("warn", .warning),
        ("notice", .notice), ("INFO", .info), ("debug", .debug), ("crit", .crit),
    ])
    func priorityNames(name: String, expected: LogPriority) {
        #expect(LogPriority(name: name) == expected)
    }
}
