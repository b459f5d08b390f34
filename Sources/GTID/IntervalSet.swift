/// A set of transaction numbers kept as sorted, disjoint, non-adjacent
/// closed intervals — the shape of one server UUID's part of a GTID set.
///
/// Bounds never exceed `Int64.max` (MySQL's largest transaction number), so
/// `+ 1` cannot overflow. Keeping the form canonical at every step makes
/// equality structural and printing trivial.
struct IntervalSet: Hashable, Sendable {
    private(set) var intervals: [ClosedRange<UInt64>] = []

    init() {}

    init(_ intervals: [ClosedRange<UInt64>]) {
        for interval in intervals { insert(interval) }
    }

    var isEmpty: Bool { intervals.isEmpty }

    var count: UInt64 {
        intervals.reduce(0) { $0 &+ ($1.upperBound - $1.lowerBound + 1) }
    }

    mutating func insert(_ interval: ClosedRange<UInt64>) {
        var lower = interval.lowerBound
        var upper = interval.upperBound
        var merged: [ClosedRange<UInt64>] = []
        var placed = false
        for existing in intervals {
            if existing.upperBound + 1 < lower {
                merged.append(existing)
            } else if upper + 1 < existing.lowerBound {
                if !placed {
                    merged.append(lower...upper)
                    placed = true
                }
                merged.append(existing)
            } else {
                lower = min(lower, existing.lowerBound)
                upper = max(upper, existing.upperBound)
            }
        }
        if !placed { merged.append(lower...upper) }
        intervals = merged
    }

    func union(_ other: IntervalSet) -> IntervalSet {
        var result = self
        for interval in other.intervals { result.insert(interval) }
        return result
    }

    func subtracting(_ other: IntervalSet) -> IntervalSet {
        var result: [ClosedRange<UInt64>] = []
        for interval in intervals {
            var pieces = [interval]
            for cut in other.intervals where cut.overlaps(interval) {
                pieces = pieces.flatMap { piece -> [ClosedRange<UInt64>] in
                    guard piece.overlaps(cut) else { return [piece] }
                    var remaining: [ClosedRange<UInt64>] = []
                    if piece.lowerBound < cut.lowerBound { remaining.append(piece.lowerBound...(cut.lowerBound - 1)) }
                    if piece.upperBound > cut.upperBound { remaining.append((cut.upperBound + 1)...piece.upperBound) }
                    return remaining
                }
            }
            result.append(contentsOf: pieces)
        }
        return IntervalSet(result)
    }

    func intersection(_ other: IntervalSet) -> IntervalSet {
        var result: [ClosedRange<UInt64>] = []
        for interval in intervals {
            for candidate in other.intervals where candidate.overlaps(interval) {
                result.append(max(interval.lowerBound, candidate.lowerBound)...min(interval.upperBound, candidate.upperBound))
            }
        }
        return IntervalSet(result)
    }

    func isSubset(of other: IntervalSet) -> Bool {
        intervals.allSatisfy { interval in
            other.intervals.contains { $0.lowerBound <= interval.lowerBound && interval.upperBound <= $0.upperBound }
        }
    }

    /// `1-5:7`: a single transaction prints as `N`, never `N-N`.
    var text: String {
        intervals.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ":")
    }
}
