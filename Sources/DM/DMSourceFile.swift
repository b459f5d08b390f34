import GTID

/// What dmswitch needs from a DM source file (`operate-source create` YAML, dm-interface §5.1).
///
/// The daemon keeps its own copy of each source file (with the encrypted password that
/// `config source` would print as `******`) and feeds it back to `operate-source create`
/// after changing the address, so only the address is ever touched.
///
/// `description` leaves the password out, so a source file can be logged.
public struct DMSourceFile: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    /// `source-id`: the identity DM keys checkpoints by; it must never change.
    public var sourceID: String
    /// `from.host`.
    public var host: String
    /// `from.port`.
    public var port: Int
    /// `from.user`, if set.
    public var user: String?
    /// `from.password` exactly as written: plaintext or dmctl-encrypted, DM accepts both.
    /// dmswitch never needs it (it feeds the whole file back to DM); dmsim, which plays the
    /// DM-worker, logs in with it.
    public var password: String?
    /// `enable-gtid` (DM's default is false); a switch requires true.
    public var enableGTID: Bool
    /// `enable-relay` (default false; honoured by DM v5.4+).
    public var enableRelay: Bool
    /// `flavor`, or `nil` when DM should detect it.
    public var flavor: GTIDFlavor?

    /// DM refuses longer ids (`MaxSourceIDLength` in DM's source config).
    public static let maxSourceIDLength = 32

    static let readAction = "read the DM source file"
    static let rewriteAction = "rewrite the DM source file"

    /// Reads and checks the file at `path`.
    public static func read(path: String) throws(DMFileError) -> DMSourceFile {
        try parse(DMFileReplacement.readText(path, action: readAction), path: path)
    }

    /// Reads source-file text; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(DMFileError) -> DMSourceFile {
        try parse(DMYAMLDocument(text: text, path: path, action: readAction))
    }

    static func parse(_ document: DMYAMLDocument) throws(DMFileError) -> DMSourceFile {
        let sourceID = try document.string("source-id")
        if sourceID.isEmpty {
            throw DMFileError(
                action: document.action, path: document.path, line: document.entry("source-id")?.lineNumber,
                problem: "`source-id` is empty")
        }
        if sourceID.count > maxSourceIDLength {
            throw DMFileError(
                action: document.action, path: document.path, line: document.entry("source-id")?.lineNumber,
                problem: "`source-id` is \(sourceID.count) characters long; DM allows at most \(maxSourceIDLength)")
        }
        if let from = document.entry("from"), from.valueRange != nil {
            throw DMFileError(
                action: document.action, path: document.path, line: from.lineNumber,
                problem: "`from` is written on one line; dmswitch reads and rewrites `from` only as an indented block")
        }
        var flavor: GTIDFlavor?
        if let text = try document.optionalString("flavor") {
            guard let known = GTIDFlavor(rawValue: text.lowercased()) else {
                throw DMFileError(
                    action: document.action, path: document.path, line: document.entry("flavor")?.lineNumber,
                    problem: "`flavor` is \"\(text)\", not mysql or mariadb")
            }
            flavor = known
        }
        return DMSourceFile(
            path: document.path, sourceID: sourceID, host: try document.string("from.host"), port: try document.port("from.port"),
            user: try document.optionalString("from.user"), password: try document.optionalString("from.password"),
            enableGTID: try document.bool("enable-gtid", absent: false),
            enableRelay: try document.bool("enable-relay", absent: false), flavor: flavor)
    }

    public var description: String {
        "DM source \"\(sourceID)\" in \"\(path)\" reading from \(host):\(port)"
    }

    /// `text` with `from.host` and `from.port` changed and every other byte kept (comments,
    /// order, quoting style, line endings). Throws when either is missing or not a plain or
    /// quoted one-line value.
    public static func rewritingAddress(_ text: String, path: String, host: String, port: Int) throws(DMFileError) -> String {
        try DMAddressCheck.validate(host: host, port: port, path: path, action: rewriteAction)
        let document = try DMYAMLDocument(text: text, path: path, action: rewriteAction)
        let before = try parse(document)
        var lines = document.lines
        for (key, value, numeric) in [("from.host", host, false), ("from.port", String(port), true)] {
            guard let entry = document.entry(key), let range = entry.valueRange, let style = entry.style,
                [.plain, .singleQuoted, .doubleQuoted].contains(style)
            else {
                throw DMFileError(action: rewriteAction, path: path, problem: "it has no one-line `\(key)` value to change")
            }
            lines[entry.lineIndex].replaceSubrange(range, with: DMYAMLScalar.render(value, style: style, numeric: numeric))
        }
        let rewritten = lines.joined(separator: "\n")
        // The rewrite must read back as the same source with only the address changed.
        let after = try parse(DMYAMLDocument(text: rewritten, path: path, action: rewriteAction))
        var expected = before
        expected.host = host
        expected.port = port
        guard after == expected else {
            throw DMFileError(action: rewriteAction, path: path, problem: "the rewritten file would not read back as intended")
        }
        return rewritten
    }

    /// Changes `from.host`/`from.port` of the file at `path` in place: the previous content is
    /// kept as `<path>.prev` and the replacement is atomic and durable.
    public static func rewriteAddress(path: String, host: String, port: Int) throws(DMFileError) -> DMAddressRewrite {
        let original = try DMFileReplacement.read(path, action: rewriteAction)
        let before = try parse(DMYAMLDocument(text: original.text, path: path, action: rewriteAction))
        let rewritten = try rewritingAddress(original.text, path: path, host: host, port: port)
        if rewritten == original.text {
            return DMAddressRewrite(previousHost: before.host, previousPort: before.port, changed: false, backupPath: nil)
        }
        let backup = try DMFileReplacement.replace(
            path, previous: original.text, replacement: rewritten, mode: original.mode, action: rewriteAction)
        return DMAddressRewrite(previousHost: before.host, previousPort: before.port, changed: true, backupPath: backup)
    }
}
