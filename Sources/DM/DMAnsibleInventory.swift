/// The DM-Ansible `inventory.ini` line of one DM v1.0 worker (dm-interface §6.3):
/// `dm_worker1 ansible_host=… source_id="mysql-replica-01" mysql_host=… mysql_port=3306 enable_gtid=true`.
///
/// DM v1.0 has no `operate-source`: a worker's upstream lives in the inventory, and the
/// address runbook edits `mysql_host`/`mysql_port` on the worker's line and then runs the
/// rolling update. Only those two values change; every other byte of the file is kept.
public struct DMAnsibleWorker: Hashable, Sendable {
    public var path: String
    /// The inventory host alias, e.g. `dm_worker1` (the `-l` of the rolling update).
    public var alias: String
    /// 1-based line of the worker.
    public var line: Int
    /// Every `key=value` on the line, unquoted.
    public var variables: [String: String]

    /// `source_id`.
    public var sourceID: String? { variables["source_id"] }
    /// `mysql_host`.
    public var mysqlHost: String { variables["mysql_host"] ?? "" }
    /// `mysql_port`; DM-Ansible's default 3306 when absent.
    public var mysqlPort: Int? { variables["mysql_port"].map { Int($0) } ?? 3306 }
    /// `enable_gtid`; a switch requires true.
    public var enableGTID: Bool { variables["enable_gtid"].flatMap(DMYAMLScalar.boolean) ?? false }
}

/// Reads and rewrites worker lines of a DM-Ansible `inventory.ini`.
public enum DMAnsibleInventory {
    static let readAction = "read the DM-Ansible inventory"
    static let rewriteAction = "rewrite the DM-Ansible inventory"

    /// One `key=value` token of a host line.
    struct Token {
        let key: String
        let value: String
        /// Range of the value as written (with its quotes) within the line.
        let valueRange: Range<String.Index>
        let quote: Character?
    }

    /// The worker `alias` in the inventory at `path`.
    public static func worker(alias: String, path: String) throws(DMFileError) -> DMAnsibleWorker {
        try worker(alias: alias, in: DMFileReplacement.readText(path, action: readAction), path: path)
    }

    /// The worker `alias` in inventory text; `path` names it in errors.
    public static func worker(alias: String, in text: String, path: String) throws(DMFileError) -> DMAnsibleWorker {
        let lines = DMTextLines.split(text)
        let (index, tokens) = try locate(alias: alias, lines: lines, path: path, action: readAction)
        var variables: [String: String] = [:]
        for token in tokens { variables[token.key] = token.value }
        let worker = DMAnsibleWorker(path: path, alias: alias, line: index + 1, variables: variables)
        if worker.mysqlPort == nil {
            throw DMFileError(
                action: readAction, path: path, line: index + 1,
                problem: "`mysql_port` is \"\(variables["mysql_port"] ?? "")\", not a port number")
        }
        return worker
    }

    /// `text` with `mysql_host` and `mysql_port` of the worker `alias` changed, keeping their
    /// quoting and every other byte; `mysql_port` is added after `mysql_host` if absent.
    public static func rewritingAddress(_ text: String, path: String, alias: String, host: String, port: Int) throws(DMFileError)
        -> String
    {
        try DMAddressCheck.validate(host: host, port: port, path: path, action: rewriteAction)
        var lines = DMTextLines.split(text)
        let (index, tokens) = try locate(alias: alias, lines: lines, path: path, action: rewriteAction)
        guard let hostToken = tokens.first(where: { $0.key == "mysql_host" }) else {
            throw DMFileError(action: rewriteAction, path: path, line: index + 1, problem: "the worker line has no `mysql_host=`")
        }
        // Build the new line from slices of the original, so no index outlives an edit.
        let original = lines[index]
        var edits = [(hostToken.valueRange, quoted(host, hostToken.quote))]
        if let portToken = tokens.first(where: { $0.key == "mysql_port" }) {
            edits.append((portToken.valueRange, quoted(String(port), portToken.quote)))
        } else {
            edits[0].1 += " mysql_port=\(port)"
        }
        edits.sort { $0.0.lowerBound < $1.0.lowerBound }
        var line = ""
        var cursor = original.startIndex
        for (range, replacement) in edits {
            line += original[cursor..<range.lowerBound] + replacement
            cursor = range.upperBound
        }
        line += original[cursor...]
        lines[index] = line
        let rewritten = lines.joined(separator: "\n")
        let before = try worker(alias: alias, in: text, path: path)
        let after = try worker(alias: alias, in: rewritten, path: path)
        var expected = before.variables
        expected["mysql_host"] = host
        expected["mysql_port"] = String(port)
        guard after.variables == expected else {
            throw DMFileError(action: rewriteAction, path: path, line: index + 1, problem: "the rewritten line would not read back as intended")
        }
        return rewritten
    }

    /// Changes the worker's `mysql_host`/`mysql_port` in the inventory at `path`, keeping the
    /// previous file as `<path>.prev`, atomically and durably.
    public static func rewriteAddress(path: String, alias: String, host: String, port: Int) throws(DMFileError) -> DMAddressRewrite {
        let original = try DMFileReplacement.read(path, action: rewriteAction)
        let before = try worker(alias: alias, in: original.text, path: path)
        let rewritten = try rewritingAddress(original.text, path: path, alias: alias, host: host, port: port)
        let previousPort = before.mysqlPort ?? 3306
        if rewritten == original.text {
            return DMAddressRewrite(previousHost: before.mysqlHost, previousPort: previousPort, changed: false, backupPath: nil)
        }
        let backup = try DMFileReplacement.replace(
            path, previous: original.text, replacement: rewritten, mode: original.mode, action: rewriteAction)
        return DMAddressRewrite(previousHost: before.mysqlHost, previousPort: previousPort, changed: true, backupPath: backup)
    }

    /// The one host line of `alias` that sets `mysql_host` (the same alias may appear bare in
    /// other groups), with its tokens.
    static func locate(alias: String, lines: [String], path: String, action: String) throws(DMFileError) -> (Int, [Token]) {
        var found: [(Int, [Token])] = []
        for (index, line) in lines.enumerated() {
            let content = line.drop { $0 == " " || $0 == "\t" }
            if content.isEmpty || content.hasPrefix("#") || content.hasPrefix(";") || content.hasPrefix("[") { continue }
            let name = content.prefix { !$0.isWhitespace }
            guard name == alias else { continue }
            let tokens = try tokenize(line, from: name.endIndex, line: index, path: path, action: action)
            if tokens.contains(where: { $0.key == "mysql_host" }) { found.append((index, tokens)) }
        }
        guard let first = found.first else {
            throw DMFileError(action: action, path: path, problem: "no host line for worker \"\(alias)\" sets `mysql_host`")
        }
        if found.count > 1 {
            throw DMFileError(
                action: action, path: path, line: found[1].0 + 1,
                problem: "worker \"\(alias)\" already sets `mysql_host` on line \(first.0 + 1)")
        }
        return first
    }

    /// The `key=value` tokens after the alias. Values may be quoted with ' or " and then
    /// contain spaces; a `#` after whitespace starts a comment.
    static func tokenize(_ line: String, from start: String.Index, line number: Int, path: String, action: String) throws(DMFileError)
        -> [Token]
    {
        var tokens: [Token] = []
        var index = start
        func fail(_ problem: String) -> DMFileError { DMFileError(action: action, path: path, line: number + 1, problem: problem) }
        while index < line.endIndex {
            while index < line.endIndex, line[index] == " " || line[index] == "\t" || line[index] == "\r" { index = line.index(after: index) }
            if index == line.endIndex || line[index] == "#" { break }
            guard let equals = line[index...].firstIndex(where: { $0 == "=" || $0 == " " || $0 == "\t" }), line[equals] == "=" else {
                throw fail("expected `key=value` after the host alias, found \"\(line[index...].prefix(40))\"")
            }
            let key = String(line[index..<equals])
            var valueStart = line.index(after: equals)
            let value: String
            let range: Range<String.Index>
            var quote: Character?
            if valueStart < line.endIndex, line[valueStart] == "\"" || line[valueStart] == "'" {
                let mark = line[valueStart]
                quote = mark
                let inner = line.index(after: valueStart)
                guard let close = line[inner...].firstIndex(of: mark) else { throw fail("the value of `\(key)` has no closing \(mark)") }
                value = String(line[inner..<close])
                range = valueStart..<line.index(after: close)
            } else {
                let end = line[valueStart...].firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "\r" }) ?? line.endIndex
                value = String(line[valueStart..<end])
                range = valueStart..<end
            }
            if tokens.contains(where: { $0.key == key }) { throw fail("`\(key)` is set twice on the line") }
            tokens.append(Token(key: key, value: value, valueRange: range, quote: quote))
            valueStart = range.upperBound
            index = valueStart
        }
        return tokens
    }

    private static func quoted(_ value: String, _ quote: Character?) -> String {
        guard let quote else { return value }
        return "\(quote)\(value)\(quote)"
    }
}
