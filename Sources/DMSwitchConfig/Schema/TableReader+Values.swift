/// Typed values built from strings: durations, addresses, paths, choices, commands, names.
extension TableReader {
    /// A string converted by `parse`, whose failure reason completes
    /// `key "vip" in [[group]] "orders" is not a valid <what>: <reason>`.
    mutating func parsed<T>(
        _ key: String, required: Bool = false, what: String, example: String,
        parse: (String) throws(ValueParseError) -> T
    ) -> Located<T>? {
        let article = what.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        guard let text = string(key, required: required, expected: "\(article) \(what) in quotes such as \(example)") else {
            return nil
        }
        do throws(ValueParseError) {
            return Located(value: try parse(text.value), location: text.location)
        } catch {
            self.error("\(describe(key)) is not a valid \(what): \(error.reason)", at: text.location, key: key)
            return nil
        }
    }

    /// A duration such as `"1m30s"` within `range`; whole seconds only when asked.
    mutating func duration(
        _ key: String, default fallback: Duration, range: ClosedRange<Duration>, wholeSeconds: Bool = false
    ) -> Duration {
        guard let found = parsed(key, what: "duration", example: "\"1s\"", parse: DurationText.parse) else {
            return fallback
        }
        var text = DurationText.format(found.value)
        if case .string(let written)? = table?.entry(key)?.node.value {
            text = written
        }
        guard range.contains(found.value) else {
            error(
                "\(describe(key)) must be between \(DurationText.format(range.lowerBound)) and "
                    + "\(DurationText.format(range.upperBound)), found \(TOMLKey.quoted(text))",
                at: found.location, key: key)
            return fallback
        }
        if wholeSeconds, found.value.components.attoseconds != 0 {
            error(
                "\(describe(key)) must be a whole number of seconds, found \(TOMLKey.quoted(text))",
                at: found.location, key: key)
            return fallback
        }
        return found.value
    }

    /// A `host:port` address.
    mutating func hostPort(_ key: String, required: Bool = false) -> Located<HostPort>? {
        parsed(key, required: required, what: "address", example: "\"10.0.0.1:3306\"", parse: HostPort.init)
    }

    /// An absolute path. `allowEmpty` lets `""` through (it means "none" for `password-file`).
    mutating func path(
        _ key: String, required: Bool = false, allowEmpty: Bool = false, reference kind: ReferencedFile.Kind? = nil
    ) -> Located<String>? {
        guard let found = string(key, required: required, expected: "a path in quotes such as \"/etc/dmswitch/x\"") else {
            return nil
        }
        if found.value.isEmpty, allowEmpty {
            return found
        }
        if let problem = Self.pathProblem(found.value) {
            error("\(describe(key)) \(problem)", at: found.location, key: key)
            return nil
        }
        if let kind {
            context.reference(found.value, kind, at: found.location, key: fullKey(key))
        }
        return found
    }

    /// A path with a default, for keys every configuration has.
    mutating func path(_ key: String, default fallback: String, maximumBytes: Int? = nil) -> String {
        guard let found = path(key) else { return fallback }
        if let maximumBytes, found.value.utf8.count > maximumBytes {
            error(
                "\(describe(key)) must be at most \(maximumBytes) bytes long (a Unix socket path), "
                    + "found \(found.value.utf8.count)",
                at: found.location, key: key)
            return fallback
        }
        return found.value
    }

    /// One of the enumeration's raw values, with a did-you-mean for near misses.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, required: Bool = false
    ) -> Choice? where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        let allowed = Self.alternatives(names)
        guard let found = string(key, required: required, expected: allowed) else { return nil }
        if let value = Choice(rawValue: found.value) {
            return value
        }
        let hint = Suggestion.closest(to: found.value, among: names).map { "; did you mean \(TOMLKey.quoted($0))?" } ?? ""
        error("\(describe(key)) must be \(allowed), found \(TOMLKey.quoted(found.value))\(hint)", at: found.location, key: key)
        return nil
    }

    /// An external command: executable (absolute path) and arguments, as an array of strings.
    mutating func command(_ key: String) -> Located<ExternalCommand>? {
        let expected = "an array of strings (the executable and its arguments)"
        guard let words = stringArray(key, expected: expected) else { return nil }
        guard let executable = words.value.first else { return nil }
        if let problem = Self.pathProblem(executable.value) {
            error(
                "the executable \(TOMLKey.quoted(executable.value)) of \(describe(key)) \(problem)",
                at: executable.location, key: key)
            return nil
        }
        context.reference(executable.value, .executable, at: executable.location, key: fullKey(key))
        let command = ExternalCommand(executable: executable.value, arguments: words.value.dropFirst().map(\.value))
        return Located(value: command, location: words.location)
    }

    /// A name for logs and command lines (a node, a source, a task): not empty, no spaces or
    /// control characters, at most `maximumLength` characters.
    mutating func name(_ key: String, required: Bool = false, maximumLength: Int) -> Located<String>? {
        guard let found = string(key, required: required) else { return nil }
        if let problem = Self.nameProblem(found.value, maximumLength: maximumLength) {
            error("\(describe(key)) \(problem)", at: found.location, key: key)
            return nil
        }
        return found
    }

    /// Why `text` is not a usable name (a verb phrase), or `nil`.
    static func nameProblem(_ text: String, maximumLength: Int) -> String? {
        if text.isEmpty { return "must not be empty" }
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return "must not contain spaces or control characters, found \(TOMLKey.quoted(text))"
        }
        if text.count > maximumLength {
            return "must be at most \(maximumLength) characters long, found \(text.count)"
        }
        return nil
    }

    /// Why `text` is not an absolute path (a verb phrase), or `nil`.
    static func pathProblem(_ text: String) -> String? {
        if text.isEmpty { return "must not be empty" }
        if text.unicodeScalars.contains(where: { $0.value == 0 }) { return "must not contain a NUL character" }
        if !text.hasPrefix("/") { return "must be an absolute path, found \(TOMLKey.quoted(text))" }
        return nil
    }

    /// `"a"`, `"a" or "b"`, `one of "a", "b", "c"`.
    static func alternatives(_ names: [String]) -> String {
        let quoted = names.map(TOMLKey.quoted)
        switch quoted.count {
        case 1: return quoted[0]
        case 2: return "\(quoted[0]) or \(quoted[1])"
        default: return "one of " + quoted.joined(separator: ", ")
        }
    }
}
