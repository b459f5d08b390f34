/// What `make bench ARGS="…"` asked for.
struct BenchOptions: Equatable {
    var output = "bench/results.json"
    /// Failovers per profile and fault (kill -9, SIGSTOP).
    var repetitions = 10
    var footprintSeconds = 60
    var footprintGroups = [1, 10, 50]
    var failover = true
    var footprint = true
    var help = false

    static let synopsis = "dmbench [--output FILE] [--repetitions N] [--footprint-seconds S] [--groups 1,10,50] [--only failover|footprint]"

    static let help = """
        dmbench: measures dmswitchd on this machine and writes a table and a JSON file.

        Usage: \(synopsis)

        Failovers (one deployment per detection profile, reused for every repetition; the
        upstream is killed or SIGSTOPped under writes and the group's HA tool promotes the
        next instance):
          detection   the fault → dmswitchd's "upstream-down" decision
          decision    "upstream-down" → "run-started" (DM's checkpoints read, candidates judged)
          switch      "run-started" → "run-completed", split into dmctl's time, the hooks'
                      and dmswitchd's own
          recovery    kill -9 → the first row written after it applied downstream
        Footprint: dmswitchd watching 1, 10 and 50 groups (3 instances and a VIP each, HAProxy
        frontends onto 3 real servers) at the default interval: RSS and CPU over the window.

        Options:
          --output FILE            The JSON results (default bench/results.json).
          --repetitions N          Failovers per profile and fault (default 10).
          --footprint-seconds S    The footprint window per group count (default 60).
          --groups LIST            The group counts of the footprint (default 1,10,50).
          --only failover|footprint  Run one half.
          -h, --help               Show this help.

        Exit status: 0 measured (goals are reported, not enforced), 1 a measurement failed,
        64 usage error, 130 interrupted.
        """

    struct UsageError: Error, Equatable {
        var message: String
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> BenchOptions {
        var options = BenchOptions()
        var index = 0
        func value(_ name: String) throws(UsageError) -> String {
            guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                throw UsageError(message: "option '\(name)' needs a value.")
            }
            defer { index += 1 }
            return arguments[index]
        }
        func number(_ name: String, _ range: ClosedRange<Int>) throws(UsageError) -> Int {
            let text = try value(name)
            guard let number = Int(text), range.contains(number) else {
                throw UsageError(message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\".")
            }
            return number
        }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            switch argument {
            case "-h", "--help": options.help = true
            case "--output": options.output = try value(argument)
            case "--repetitions": options.repetitions = try number(argument, 1...100)
            case "--footprint-seconds": options.footprintSeconds = try number(argument, 5...3600)
            case "--groups":
                let text = try value(argument)
                let counts = text.split(separator: ",").map { Int($0) }
                guard !counts.isEmpty, counts.allSatisfy({ $0.map { (1...60).contains($0) } ?? false }) else {
                    throw UsageError(message: "--groups must be a comma-separated list of group counts from 1 to 60, not \"\(text)\".")
                }
                options.footprintGroups = counts.compactMap { $0 }
            case "--only":
                let text = try value(argument)
                guard text == "failover" || text == "footprint" else {
                    throw UsageError(message: "--only must be failover or footprint, not \"\(text)\".")
                }
                options.failover = text == "failover"
                options.footprint = text == "footprint"
            default:
                throw UsageError(message: "unknown argument '\(argument)'.")
            }
        }
        return options
    }
}
