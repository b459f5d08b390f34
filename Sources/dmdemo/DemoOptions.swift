import Sandbox

/// What `make demo ARGS="…"` asked for.
struct DemoOptions: Equatable {
    var scenario: LabOptions.Scenario = .vip
    /// The DM release dmsim plays.
    var dmVersion = "v6.5.0"
    /// The application's rows per second.
    var rate = 50
    var help = false

    static let synopsis = "dmdemo [--scenario vip|address] [--dm v2|v1] [--rate ROWS]"

    static let help = """
        dmdemo: a whole DM deployment on this machine, its upstream killed, and dmswitchd moving DM.

        Usage: \(synopsis)

        Starts a MariaDB group (db1 primary, db2 and db3 replicas), a downstream, dmsim playing DM
        with task "orders" replicating for real, a writer, and dmswitchd; kills db1 with SIGKILL,
        narrates detection, the choice of candidate and every runbook step, then compares the
        group's primary with the downstream. Everything it started is removed at the end, on
        failure and on Ctrl-C.

        Options:
          --scenario vip|address  How DM reaches its upstream: through a VIP that dmswitchd moves
                                  (HAProxy here; default), or by address, which dmswitchd rewrites.
          --dm v2|v1              DM v2+ (dmsim as v6.5.0, operate-source; default) or DM v1.0
                                  (dmsim as v1.0.7: relay commands, DM-Ansible rolling update).
                                  A release such as v6.5.0 or v1.0.7 is taken as given.
          --rate ROWS             The writer's rows per second (1 to 1000, default 50).
          -h, --help              Show this help.

        Exit status: 0 PASS, 1 FAIL (or the demo could not run), 64 usage error, 130 interrupted.
        """

    /// A command line the demo does not understand; `message` follows `Error: `.
    struct UsageError: Error, Equatable {
        var message: String
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> DemoOptions {
        var options = DemoOptions()
        var index = 0
        func value(_ name: String) throws(UsageError) -> String {
            guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                throw UsageError(message: "option '\(name)' needs a value.")
            }
            defer { index += 1 }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            switch argument {
            case "-h", "--help":
                options.help = true
            case "--scenario":
                let text = try value(argument)
                guard let scenario = LabOptions.Scenario(rawValue: text) else {
                    throw UsageError(message: "--scenario must be vip or address, not \"\(text)\".")
                }
                options.scenario = scenario
            case "--dm":
                options.dmVersion = try dmVersion(try value(argument))
            case "--rate":
                let text = try value(argument)
                guard let rate = Int(text), (1...1000).contains(rate) else {
                    throw UsageError(message: "--rate must be a whole number of rows per second from 1 to 1000, not \"\(text)\".")
                }
                options.rate = rate
            default:
                throw UsageError(message: "unknown argument '\(argument)'.")
            }
        }
        return options
    }

    /// "v2" and "v1" name the releases dmsim plays by default; a full release is kept.
    static func dmVersion(_ text: String) throws(UsageError) -> String {
        switch text {
        case "v2", "2": return "v6.5.0"
        case "v1", "1", "v1.0": return "v1.0.7"
        default:
            let parts = text.dropFirst(text.hasPrefix("v") ? 1 : 0).split(separator: ".")
            guard parts.count == 3, parts.allSatisfy({ Int($0) != nil }), let major = Int(parts[0]), major >= 1 else {
                throw UsageError(message: "--dm must be v2, v1 or a DM release such as v6.5.0, not \"\(text)\".")
            }
            return "v" + parts.joined(separator: ".")
        }
    }

    var isV1: Bool { dmVersion.hasPrefix("v1") }

    /// "DM v6.5.0, VIP scenario".
    var title: String {
        "DM \(dmVersion) (\(isV1 ? "v1.0 runbooks" : "v2+ runbooks")), \(scenario == .vip ? "VIP" : "address-change") scenario"
    }
}
