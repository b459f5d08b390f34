import Foundation
import Glibc

/// Everything one `make bench` measured, with the machine it ran on.
struct BenchReport: Encodable {
    var command: String
    var date: String
    var build: String
    var wallSeconds: Double
    var machine: Machine
    var series: [Series]
    var footprint: [FootprintSample]
    /// The peers' published numbers the README compares with (reference/failover-anchors.md §4).
    var peers: [String: String] = [
        "orchestrator_github_total_outage": "10-13 s (github.blog 2018-06-20)",
        "mha_detection": "9-12 s (MHA wiki)",
        "mha_total_downtime": "10-30 s (MHA wiki)",
    ]

    enum CodingKeys: String, CodingKey {
        case command, date, build, machine, series, footprint, peers
        case wallSeconds = "wall_seconds"
    }

    struct Machine: Encodable {
        var cores: Int
        var cpu: String
        var memoryGB: Double
        var kernel: String
        var system: String
        /// /proc/loadavg when the benchmark started: the machine may be shared.
        var loadAtStart: String

        enum CodingKeys: String, CodingKey {
            case cores, cpu, kernel, system
            case memoryGB = "memory_gb", loadAtStart = "load_at_start"
        }

        static func current() -> Machine {
            func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
            func value(_ text: String, _ key: String) -> String? {
                text.split(separator: "\n").first { $0.hasPrefix(key) }
                    .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                    .map { $0.trimmingCharacters(in: .whitespaces) }
            }
            var names = utsname()
            uname(&names)
            let release = withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let memory = value(read("/proc/meminfo"), "MemTotal").flatMap { Double($0.split(separator: " ").first ?? "") } ?? 0
            let system = value(read("/etc/os-release"), "PRETTY_NAME").map { $0.replacingOccurrences(of: "\"", with: "") }
            return Machine(
                cores: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), cpu: value(read("/proc/cpuinfo"), "model name") ?? "unknown",
                memoryGB: (memory / 1024 / 1024 * 10).rounded() / 10, kernel: "Linux " + release,
                system: system?.split(separator: "=").last.map(String.init) ?? "unknown",
                loadAtStart: read("/proc/loadavg").split(separator: " ").prefix(3).joined(separator: " "))
        }
    }

    /// The table printed at the end (and pasted into the README).
    func table() -> String {
        var lines: [String] = []
        if !series.isEmpty {
            lines += seriesTable()
        }
        if !footprint.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines += footprintTable()
        }
        return lines.joined(separator: "\n")
    }

    private func seriesTable() -> [String] {
        var lines: [String] = []
        let header = pad("measure", 46) + pad("profile", 9) + lpad("n", 4) + lpad("min", 8) + lpad("median", 8) + lpad("p95", 8) + "  goal"
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count + 18))
        for series in series {
            var row = pad(series.name, 46) + pad(series.profile, 9) + lpad(String(series.count), 4)
            for value in [series.minimum, series.median, series.p95] {
                row += lpad(value.map { String(format: "%.2f", $0) } ?? "-", 8)
            }
            if let goal = series.goal {
                row += "  \(goal) " + (series.goalMet == true ? "met" : "MISSED")
            }
            lines.append(row)
        }
        return lines
    }

    private func footprintTable() -> [String] {
        let head = lpad("groups", 7) + lpad("addresses", 11) + lpad("RSS max MB", 12) + lpad("RSS end MB", 12)
            + lpad("private MB", 12) + lpad("CPU %", 8) + lpad("dmctl CPU %", 13) + lpad("threads", 9) + "  goal (50 groups: RSS ≤ 25 MB, CPU ≤ 2 %)"
        var lines = [head, String(repeating: "-", count: head.count)]
        for sample in footprint {
            var row = lpad(String(sample.groups), 7) + lpad(String(sample.addresses), 11)
            row += lpad(String(format: "%.1f", sample.rssMaxMB), 12) + lpad(String(format: "%.1f", sample.rssEndMB), 12)
            row += lpad(String(format: "%.1f", sample.anonymousEndMB), 12)
            row += lpad(String(format: "%.2f", sample.cpuPercent), 8) + lpad(String(format: "%.2f", sample.dmctlCPUPercent), 13)
            row += lpad(String(sample.threads), 9)
            if sample.groups == 50 {
                row += "  RSS " + (sample.rssMaxMB <= 25 ? "met" : "MISSED") + ", CPU " + (sample.cpuPercent <= 2 ? "met" : "MISSED")
            }
            lines.append(row)
        }
        return lines
    }

    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }

    private func lpad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(1, width - text.count)) + text
    }
}

extension BenchReport {
    /// The series of the failover measurements, goals attached (evaluated on p95).
    static func series(default standard: [FailoverSample], fast: [FailoverSample]) -> [Series] {
        func values(_ samples: [FailoverSample], _ fault: Fault? = nil, _ pick: (FailoverSample) -> Duration?) -> [Double] {
            samples.filter { fault == nil || $0.fault == fault }.compactMap(pick).map(\.seconds)
        }
        let all = standard + fast
        guard !all.isEmpty else { return [] }
        var series = [
            Series(name: "detection: kill -9 → upstream-down", profile: "default", samples: values(standard, .kill) { $0.detection },
                   goal: "p95 ≤ 3.5 s", bound: 3.5, on: .p95),
            Series(name: "detection: SIGSTOP → upstream-down", profile: "default", samples: values(standard, .stop) { $0.detection },
                   goal: "p95 ≤ 3.5 s", bound: 3.5, on: .p95),
            Series(name: "detection: kill -9 → upstream-down", profile: "fast", samples: values(fast, .kill) { $0.detection },
                   goal: "p95 ≤ 1 s", bound: 1, on: .p95),
            Series(name: "detection: SIGSTOP → upstream-down", profile: "fast", samples: values(fast, .stop) { $0.detection },
                   goal: "p95 ≤ 1 s", bound: 1, on: .p95),
        ]
        for fault in Fault.allCases {
            let runs = fault == .kill ? "kills" : "stops"
            series += [
                Series(name: "decision: upstream-down → run-started", profile: runs, samples: values(all, fault) { $0.decision }),
                Series(name: "switch: run-started → run-completed", profile: runs, samples: values(all, fault) { $0.run }),
                Series(name: "  inside dmctl (dmsim)", profile: runs, samples: values(all, fault) { $0.dmctl }),
                Series(name: "  inside the VIP hook", profile: runs, samples: values(all, fault) { $0.hooks }),
                Series(name: "  dmswitchd's own", profile: runs, samples: values(all, fault) { $0.own },
                       goal: "p95 ≤ 0.1 s", bound: 0.1, on: .p95),
            ]
        }
        series += [
            Series(name: "recovery: kill -9 → first new write downstream", profile: "default", samples: values(standard, .kill) { $0.recovery },
                   goal: "p95 ≤ 5 s", bound: 5, on: .p95),
            Series(name: "recovery: kill -9 → first new write downstream", profile: "fast", samples: values(fast, .kill) { $0.recovery }),
        ]
        series.removeAll { $0.samples.isEmpty }
        return series
    }
}
