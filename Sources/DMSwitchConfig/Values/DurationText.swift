/// Durations as dmswitch.toml writes them: `"500ms"`, `"3s"`, `"1m30s"`, `"1h"`.
///
/// Units go from the largest to the smallest, each at most once, and numbers are whole: that
/// reads unambiguously and keeps every configured duration a whole number of milliseconds.
public enum DurationText {
    /// The units, largest first, with their length in milliseconds.
    static let units: [(name: String, milliseconds: Int64)] = [
        ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// Parses `"1m30s"` into a `Duration`.
    public static func parse(_ text: String) throws(ValueParseError) -> Duration {
        func failure(_ reason: String) -> ValueParseError {
            ValueParseError(text: text, reason: reason)
        }
        let quoted = TOMLKey.quoted(text)
        guard !text.isEmpty else {
            throw failure("an empty string is not a duration; write a number and a unit, e.g. \"1s\"")
        }
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var total: Int64 = 0
        var lastUnit = -1
        while index < scalars.count {
            var number: Int64 = 0
            let numberStart = index
            while index < scalars.count, let digit = Int64(String(scalars[index])), scalars[index].isASCII {
                let (times, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (plus, overflow2) = times.addingReportingOverflow(digit)
                guard !overflow1, !overflow2 else { throw failure("\(quoted) is too long a duration") }
                number = plus
                index += 1
            }
            guard index > numberStart else {
                if scalars[index] == "-" || scalars[index] == "+" {
                    throw failure("\(quoted) is not a duration: durations have no sign; write e.g. \"1s\"")
                }
                throw failure("\(quoted) is not a duration; write a number and a unit, e.g. \"1s\" or \"1m30s\"")
            }
            if index < scalars.count, scalars[index] == "." || scalars[index] == "," {
                throw failure("\(quoted) has a fraction; combine units instead, e.g. \"1s500ms\"")
            }
            var unit = ""
            while index < scalars.count, scalars[index].properties.isAlphabetic || scalars[index] == "µ" {
                unit.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard !unit.isEmpty else {
                if index < scalars.count {
                    throw failure("\(quoted) is not a duration; write a number and a unit, e.g. \"1s\" or \"1m30s\"")
                }
                throw failure("\(quoted) has no unit; write e.g. \"\(text)s\" (units: h, m, s, ms)")
            }
            guard let position = units.firstIndex(where: { $0.name == unit }) else {
                throw failure("\(quoted) has an unknown unit \(TOMLKey.quoted(unit)); use h, m, s or ms")
            }
            guard position > lastUnit else {
                throw failure(
                    "units in \(quoted) must go from the largest to the smallest, each at most once, e.g. \"1m30s\"")
            }
            lastUnit = position
            let (part, overflow1) = number.multipliedReportingOverflow(by: units[position].milliseconds)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            guard !overflow1, !overflow2 else { throw failure("\(quoted) is too long a duration") }
            total = sum
        }
        return .milliseconds(total)
    }

    /// The shortest text that parses back to `duration` (`"1m30s"`, `"500ms"`, `"0s"`);
    /// below a millisecond is dropped, which configured durations never have.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var remaining = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        guard remaining > 0 else { return "0s" }
        var text = ""
        for (name, milliseconds) in units {
            let count = remaining / milliseconds
            if count > 0 {
                text += "\(count)\(name)"
                remaining -= count * milliseconds
            }
        }
        return text
    }
}
