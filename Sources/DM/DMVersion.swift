/// The DM release the backend talks to; it decides dmctl's syntax and reply shapes.
///
/// DM v1.0 (pingcap/dm, DM-Ansible) addresses DM-workers with `-w host:port`, prints
/// `workers[]` and has `switch-relay-master`; DM v2.0 and later (TiUP) address sources with
/// `-s`, print `sources[]` and have `operate-source`. From v6.0 `stop-task` sends op `Delete`
/// instead of `Stop` (dm-interface §1.1). There are no DM 3.x/4.x/5.0–5.2 releases, but such
/// numbers parse and count as "v2+".
public struct DMVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    public init(major: Int, minor: Int = 0, patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `v6.5.1`, `6.5`, `v9.0.0-beta.1` or `v1.0.7`; `nil` for anything else.
    public init?(_ text: String) {
        var body = Substring(text.trimmingSpaces)
        if body.first == "v" || body.first == "V" { body = body.dropFirst() }
        if let dash = body.firstIndex(where: { $0 == "-" || $0 == "+" }) { body = body[..<dash] }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 6, part.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(part) else {
                return nil
            }
            numbers.append(number)
        }
        guard numbers[0] >= 1 else { return nil }
        self.init(major: numbers[0], minor: numbers.count > 1 ? numbers[1] : 0, patch: numbers.count > 2 ? numbers[2] : 0)
    }

    /// Whether this is DM v1.0: workers addressed by `-w`, relay commands, DM-Ansible.
    public var isV1: Bool { major < 2 }

    /// The `op` that `stop-task` sends and echoes: `Delete` from v6.0, `Stop` before.
    public var stopTaskOperation: String { self >= DMVersion(major: 6) ? "Delete" : "Stop" }

    public static func < (lhs: DMVersion, rhs: DMVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    public var description: String { "v\(major).\(minor).\(patch)" }
}
