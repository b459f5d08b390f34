/// The DM version the daemon drives, as configured: `"v1"`, `"v2"` (meaning v2 or later), or a
/// full release such as `"v1.0.7"`, `"v6.5.0"`, `"v8.5.2"`.
///
/// The runbooks differ between DM v1.0 (relay commands, DM-Ansible) and v2+ (`operate-source`),
/// so the generation decides the runbook. Within v2+, v6.0 changed what `stop-task` sends
/// (`op` "Delete" instead of "Stop"), so the release is kept when it was given.
public struct DMVersion: Hashable, Sendable, CustomStringConvertible {
    /// Which of DM's two published switch procedures applies.
    public enum Generation: String, Hashable, Sendable {
        /// DM v1.0.x: workers addressed with `-w host:port`, relay always on, DM-Ansible.
        case v1
        /// DM v2.0 and every later release (v5.3 … v8.x): sources, `operate-source`.
        case v2plus
    }

    /// A release number, as far as it was given (`v6` has no minor).
    public struct Release: Hashable, Sendable {
        public var major: Int
        public var minor: Int?
        public var patch: Int?

        public init(major: Int, minor: Int?, patch: Int?) {
            self.major = major
            self.minor = minor
            self.patch = patch
        }
    }

    public var generation: Generation
    /// `nil` for the generation names `"v1"` and `"v2"`.
    public var release: Release?
    /// The text as written in the file, for logs and status.
    public var raw: String

    public init(generation: Generation, release: Release?, raw: String) {
        self.generation = generation
        self.release = release
        self.raw = raw
    }

    /// Parses the configured text; see the type comment for the accepted forms.
    public init(_ text: String) throws(ValueParseError) {
        raw = text
        let quoted = TOMLKey.quoted(text)
        let usage = "write \"v1\", \"v2\" or a release such as \"v6.5.0\""
        if text == "v1" || text == "v2" {
            generation = text == "v1" ? .v1 : .v2plus
            release = nil
            return
        }
        var body = Substring(text)
        if body.hasPrefix("v") {
            body = body.dropFirst()
        }
        // A pre-release suffix (v9.0.0-beta.1) only follows a full version.
        let parts = body.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let numbers = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(numbers.count),
            numbers.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts.count == 1 || (numbers.count == 3 && !parts[1].isEmpty)
        else {
            throw ValueParseError(text: text, reason: "\(quoted) is not a DM version; \(usage)")
        }
        let values = numbers.compactMap { Int($0) }
        let found = Release(
            major: values[0], minor: values.count > 1 ? values[1] : nil, patch: values.count > 2 ? values[2] : nil)
        // DM's releases: v1.0.x and v2.0.x in pingcap/dm, then v5.3 onwards in tiflow
        // (reference: dm-interface.md §1, "Version timeline").
        let exists: Bool
        switch found.major {
        case 1, 2: exists = found.minor == nil || found.minor == 0
        case 5: exists = found.minor.map { $0 >= 3 } ?? true
        case 6...: exists = true
        default: exists = false
        }
        guard exists else {
            throw ValueParseError(
                text: text,
                reason: "\(quoted) is not a DM release: DM was released as v1.0.x, v2.0.x and v5.3 or later")
        }
        generation = found.major == 1 ? .v1 : .v2plus
        release = found
    }

    /// Whether `stop-task` sends `op` "Delete" (v6.0 and later) rather than "Stop"; `nil` when
    /// the configured version does not say (`"v2"`, `"v5"`). Source: dm-interface.md §1, v6.0.0.
    public var stopTaskSendsDelete: Bool? {
        guard generation == .v2plus, let release else { return nil }
        if release.major >= 6 { return true }
        if release.major == 5 && release.minor == nil { return nil }
        return false
    }

    /// The text as written (`v2`, `v6.5.0`).
    public var description: String { raw }
}
