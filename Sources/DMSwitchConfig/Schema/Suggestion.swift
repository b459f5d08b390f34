/// "Did you mean …?" for unknown keys, tables and values.
///
/// A misspelt key is the most common configuration mistake and the costliest when silently
/// ignored, so an unknown key is an error, and the error names the key that was meant.
enum Suggestion {
    /// The candidate closest to `word`, if one is close enough to be a likely typo.
    ///
    /// Closeness is the optimal-string-alignment distance (a swap of neighbours counts once)
    /// after lowercasing and reading `_` as `-`, allowed up to a third of the candidate's
    /// length (at least 1, at most 3). Failing that, a unique candidate that starts with the
    /// word (`master` → `master-addr`) is offered.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let normalizedWord = normalize(word)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = editDistance(normalizedWord, normalize(candidate))
            let allowed = max(1, min(3, candidate.count / 3))
            if distance <= allowed, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        if let best { return best.candidate }
        guard normalizedWord.count >= 4 else { return nil }
        let extensions = candidates.filter { normalize($0).starts(with: normalizedWord) }
        return extensions.count == 1 ? extensions[0] : nil
    }

    private static func normalize(_ word: String) -> [Unicode.Scalar] {
        Array(word.lowercased().replacingUnderscores().unicodeScalars)
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and
    /// transpositions of adjacent characters each cost 1.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousRow: [Int] = []
        var row = Array(0...b.count)
        for i in 1...a.count {
            let beforePrevious = previousRow
            previousRow = row
            row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = min(previousRow[j] + 1, row[j - 1] + 1, previousRow[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], beforePrevious[j - 2] + 1)
                }
            }
        }
        return row[b.count]
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
