/// The options a command accepts and the words it was given, parsed once.
///
/// `--name VALUE` and `--name=VALUE` both work; `--` ends the options. Unknown options, missing
/// values and repeated options are usage errors, named in the message.
struct ParsedArguments: Sendable {
    enum Kind: Sendable {
        case flag
        case value(placeholder: String)
    }

    private(set) var positionals: [String] = []
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    init(_ arguments: [String], options: [String: Kind]) throws(UsageError) {
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if optionsEnded || !word.hasPrefix("-") || word == "-" {
                positionals.append(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            let inlineValue = word.contains("=") ? String(word.drop { $0 != "=" }.dropFirst()) : nil
            guard let kind = options[name] else { throw UsageError("unknown option \"\(name)\".") }
            guard !flags.contains(name) && values[name] == nil else { throw UsageError("\(name) is given more than once.") }
            switch kind {
            case .flag:
                guard inlineValue == nil else { throw UsageError("\(name) takes no value.") }
                flags.insert(name)
            case .value(let placeholder):
                if let inlineValue {
                    values[name] = inlineValue
                } else {
                    guard index < arguments.count else { throw UsageError("\(name) needs a value (\(placeholder)).") }
                    values[name] = arguments[index]
                    index += 1
                }
            }
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func value(_ option: String) -> String? { values[option] }

    /// At most `maximum` positional words; more is a usage error naming the first extra one.
    func positionals(atMost maximum: Int) throws(UsageError) -> [String] {
        guard positionals.count <= maximum else {
            throw UsageError("unexpected argument \"\(positionals[maximum])\".")
        }
        return positionals
    }
}
