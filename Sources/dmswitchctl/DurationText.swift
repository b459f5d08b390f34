/// Durations as operators type them: `90s`, `30m`, `2h`, `1h30m`, `1d`, or plain seconds.
enum DurationText {
    /// Seconds in `text`, or nil when it is not a duration.
    static func seconds(_ text: String) -> Int? {
        if let plain = Int(text) { return plain }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        var total = 0
        var digits = ""
        var lastUnitSize = Int.max
        for character in text.lowercased() {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else if let size = units[character], let number = Int(digits), size < lastUnitSize {
                let (product, overflow) = number.multipliedReportingOverflow(by: size)
                guard !overflow else { return nil }
                let (sum, overflowed) = total.addingReportingOverflow(product)
                guard !overflowed else { return nil }
                total = sum
                digits = ""
                lastUnitSize = size
            } else {
                return nil
            }
        }
        return digits.isEmpty && lastUnitSize != Int.max ? total : nil
    }

    /// `1h30m`, `45s`, `2d`: the shortest exact spelling.
    static func format(seconds: Int) -> String {
        guard seconds > 0 else { return "0s" }
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
