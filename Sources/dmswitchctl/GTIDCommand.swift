import GTID

/// `dmswitchctl gtid …`: the GTID arithmetic of DM's manual switch procedure,
/// offline, for an operator doing it by hand.
///
///     gtid contains A B    exit 0 when A contains B, 1 and what is missing otherwise
///     gtid subtract A B    prints A − B
///     gtid normalize A     prints A in canonical form
///
/// The flavor is inferred from the text (MySQL sets contain ':'), or forced
/// with `--flavor mysql|mariadb`.
enum GTIDCommand {
    static let usage = """
        Usage: dmswitchctl gtid contains [--flavor mysql|mariadb] A B
               dmswitchctl gtid subtract [--flavor mysql|mariadb] A B
               dmswitchctl gtid normalize [--flavor mysql|mariadb] A

        contains   exits 0 when A contains every transaction of B; otherwise prints
                   what B has that A lacks and exits 1 (for DM's conditions:
                   'contains gtid-S gtid-P' and 'contains gtid-E gtid-S')
        subtract   prints the transactions of A that are not in B
        normalize  prints A in canonical form (lowercase, sorted, merged)
        """

    static func run(_ arguments: [String]) -> CLIResult {
        var words: [String] = []
        var flavor: GTIDFlavor?
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == "--help" || word == "-h" {
                return CLIResult(status: 0, stdout: usage + "\n")
            } else if word == "--flavor" || word.hasPrefix("--flavor=") {
                let value: String
                if word == "--flavor" {
                    index += 1
                    guard index < arguments.count else { return usageError("--flavor needs a value: mysql or mariadb.") }
                    value = arguments[index]
                } else {
                    value = String(word.dropFirst("--flavor=".count))
                }
                guard let chosen = GTIDFlavor(rawValue: value.lowercased()) else {
                    return usageError("unknown flavor \"\(value)\"; use mysql or mariadb.")
                }
                flavor = chosen
            } else if word.hasPrefix("--") {
                return usageError("unknown option \"\(word)\".")
            } else {
                words.append(word)
            }
            index += 1
        }
        guard let subcommand = words.first else { return usageError("a gtid subcommand is required.") }
        let operands = Array(words.dropFirst())
        let expected = subcommand == "normalize" ? 1 : 2
        guard ["contains", "subtract", "normalize"].contains(subcommand) else {
            return usageError("unknown gtid subcommand \"\(subcommand)\".")
        }
        guard operands.count == expected else {
            return usageError("'gtid \(subcommand)' takes \(expected == 1 ? "one GTID set" : "two GTID sets"), not \(operands.count).")
        }

        let values: [GTIDValue]
        do {
            values = try parse(operands, flavor: flavor)
        } catch {
            return CLIResult(status: CLIResult.Exit.usage, stderr: "Error: \(error.message)\n")
        }
        switch subcommand {
        case "contains":
            let missing = values[1].missing(from: values[0])
            if missing.isEmpty { return CLIResult(status: 0, stdout: "contained\n") }
            return CLIResult(status: 1, stdout: "not contained; missing: \(missing)\n")
        case "subtract":
            return CLIResult(status: 0, stdout: "\(values[0].missing(from: values[1]))\n")
        default:
            return CLIResult(status: 0, stdout: "\(values[0])\n")
        }
    }

    struct OperandError: Error {
        let message: String
    }

    /// Parses every operand in one flavor: the forced one, or the one the
    /// first non-empty operand shows.
    private static func parse(_ operands: [String], flavor forced: GTIDFlavor?) throws(OperandError) -> [GTIDValue] {
        let names = ["first", "second"]
        let flavor = forced ?? operands.lazy
            .compactMap { try? GTIDValue(inferringFlavorOf: $0, fallback: .mysql) }
            .first { !$0.isEmpty }?.flavor ?? .mysql
        var values: [GTIDValue] = []
        for (position, text) in operands.enumerated() {
            do {
                values.append(try GTIDValue(text, flavor: flavor))
            } catch {
                throw OperandError(message: "the \(names[position]) operand is not a \(flavor == .mysql ? "MySQL GTID set" : "MariaDB GTID position"): \(error)")
            }
        }
        return values
    }

    private static func usageError(_ message: String) -> CLIResult {
        CLIResult.usageError(message, usage: command.usage, helpCommand: command.helpCommand)
    }
}
