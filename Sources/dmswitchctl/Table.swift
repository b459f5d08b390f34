/// A plain-text table with a header row and aligned columns; cells may span several lines.
struct Table {
    var headers: [String]
    var rows: [[String]]
    var indent = 0

    /// The rendered lines, each ending in a newline; trailing spaces are trimmed.
    func render() -> String {
        let columns = headers.count
        let cells = ([headers] + rows).map { row in
            (0..<columns).map { index in index < row.count ? row[index].split(separator: "\n", omittingEmptySubsequences: false).map(String.init) : [""] }
        }
        var widths = [Int](repeating: 0, count: columns)
        for row in cells {
            for (index, lines) in row.enumerated() {
                widths[index] = max(widths[index], lines.map(\.count).max() ?? 0)
            }
        }
        let margin = String(repeating: " ", count: indent)
        var out = ""
        for row in cells {
            let height = row.map(\.count).max() ?? 1
            for lineIndex in 0..<height {
                var line = ""
                for (index, lines) in row.enumerated() {
                    let text = lineIndex < lines.count ? lines[lineIndex] : ""
                    line += index == columns - 1 ? text : text + String(repeating: " ", count: widths[index] - text.count + 2)
                }
                out += margin + String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
            }
        }
        return out
    }
}
