/// One measured quantity over repetitions, in seconds (or the unit named).
struct Series: Encodable, Sendable {
    var name: String
    /// "default", "fast", "all", or the deployment it was measured on.
    var profile: String
    var unit: String
    var samples: [Double]
    /// The goal, as a sentence fragment ("≤ 3.5 s"), if there is one.
    var goal: String?
    /// The goal as a bound on the statistic named by `goalStatistic`.
    var goalBound: Double?
    var goalStatistic: Statistic?

    enum Statistic: String, Encodable, Sendable {
        case median, p95, max
    }

    var count: Int { samples.count }
    var minimum: Double? { samples.min() }
    var maximum: Double? { samples.max() }

    /// The middle value (the mean of the two middle values for an even count).
    var median: Double? {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The 95th percentile by nearest rank: the smallest sample with at least 95 % of the
    /// samples at or below it (for 10 samples, the largest).
    var p95: Double? {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return nil }
        let rank = Int((0.95 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, rank - 1)]
    }

    /// Whether the goal holds; nil without a goal or samples.
    var goalMet: Bool? {
        guard let bound = goalBound, let statistic = goalStatistic else { return nil }
        let value: Double?
        switch statistic {
        case .median: value = median
        case .p95: value = p95
        case .max: value = maximum
        }
        return value.map { $0 <= bound }
    }

    enum CodingKeys: String, CodingKey {
        case name, profile, unit, samples, goal, goalBound = "goal_bound", goalStatistic = "goal_statistic"
        case count, minimum = "min", median, p95, maximum = "max", goalMet = "goal_met"
    }

    init(name: String, profile: String, unit: String = "s", samples: [Double], goal: String? = nil,
         bound: Double? = nil, on statistic: Statistic? = nil) {
        self.name = name
        self.profile = profile
        self.unit = unit
        self.samples = samples
        self.goal = goal
        self.goalBound = bound
        self.goalStatistic = statistic
    }

    /// The statistics are written next to the samples, for readers of the JSON.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(profile, forKey: .profile)
        try container.encode(unit, forKey: .unit)
        try container.encode(samples.map(Self.rounded), forKey: .samples)
        try container.encodeIfPresent(goal, forKey: .goal)
        try container.encodeIfPresent(goalBound, forKey: .goalBound)
        try container.encodeIfPresent(goalStatistic, forKey: .goalStatistic)
        try container.encode(count, forKey: .count)
        try container.encodeIfPresent(minimum.map(Self.rounded), forKey: .minimum)
        try container.encodeIfPresent(median.map(Self.rounded), forKey: .median)
        try container.encodeIfPresent(p95.map(Self.rounded), forKey: .p95)
        try container.encodeIfPresent(maximum.map(Self.rounded), forKey: .maximum)
        try container.encodeIfPresent(goalMet, forKey: .goalMet)
    }

    /// Milliseconds are the resolution of what is measured (5 ms log polling, ms dmctl times).
    static func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }
}
