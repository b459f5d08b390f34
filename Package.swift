// swift-tools-version: 6.0
// dmswitch: no package dependencies. C libraries come from Debian through
// systemLibrary targets (libmariadb-dev for CMariaDB, libcurl4-openssl-dev for CCurl).
import PackageDescription

let package = Package(
    name: "dmswitch",
    products: [
        .executable(name: "dmswitchd", targets: ["dmswitchd"]),
        .executable(name: "dmswitchctl", targets: ["dmswitchctl"]),
        .executable(name: "dmsim", targets: ["dmsim"]),
        .executable(name: "dmsandbox", targets: ["dmsandbox"]),
        .executable(name: "dmdemo", targets: ["dmdemo"]),
        .executable(name: "dmbench", targets: ["dmbench"]),
    ],
    targets: [
        // MARK: C libraries
        .systemLibrary(
            name: "CMariaDB",
            pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // MARK: Pure core (no I/O)
        .target(name: "GTID"),
        .target(name: "Failover", dependencies: ["GTID"]),

        // MARK: Adapters
        .target(
            name: "Posix",
            // glibc hides posix_spawn_file_actions_addchdir_np, pipe2 and struct ucred
            // behind _GNU_SOURCE; Posix is the one module that wraps them.
            swiftSettings: [.unsafeFlags(["-Xcc", "-D_GNU_SOURCE"])]
        ),
        .target(name: "DMSwitchConfig"),
        .target(name: "Upstream", dependencies: ["CMariaDB", "GTID", "Posix"]),
        .target(name: "DM", dependencies: ["GTID", "Posix"]),
        .target(name: "RunJournal", dependencies: ["Failover", "Posix"]),
        .target(name: "DMSwitchLog", dependencies: ["Posix"]),
        .target(name: "Control", dependencies: ["Posix"]),
        // Multi-host coordination over etcd's HTTP/JSON gateway, through libcurl
        // (URLSession on Linux aborts the process on the gateway's error answers).
        // Independent of Failover: it stores opaque records under group keys.
        .target(name: "Coordination", dependencies: ["Posix", "CCurl"]),

        // MARK: The daemon shell
        .target(
            name: "Daemon",
            dependencies: [
                "GTID", "Failover", "Posix", "DMSwitchConfig", "Upstream", "DM",
                "RunJournal", "DMSwitchLog", "Control", "Coordination",
            ]
        ),

        // MARK: Executables (main.swift stays small)
        .executableTarget(name: "dmswitchd", dependencies: ["Daemon", "DMSwitchConfig"]),
        .executableTarget(name: "dmswitchctl", dependencies: ["Control", "GTID", "DMSwitchConfig"]),
        .executableTarget(name: "dmsim", dependencies: ["DM", "GTID", "Posix", "Upstream"]),
        .executableTarget(name: "dmsandbox", dependencies: ["Sandbox"]),
        // `make demo`: a narrated failover on a whole local deployment.
        .executableTarget(name: "dmdemo", dependencies: ["Sandbox", "Posix", "Upstream", "Control"]),
        // `make bench`: detection, switch, recovery and footprint numbers.
        .executableTarget(name: "dmbench", dependencies: ["Sandbox", "Posix", "Upstream", "Control", "GTID"]),

        // MARK: Test support: real MariaDB topologies on loopback
        .target(name: "Sandbox", dependencies: ["Upstream", "Posix"]),

        // MARK: Tests
        .testTarget(name: "GTIDTests", dependencies: ["GTID"]),
        .testTarget(name: "DMSwitchConfigTests", dependencies: ["DMSwitchConfig"]),
        .testTarget(name: "FailoverTests", dependencies: ["Failover", "GTID"]),
        .testTarget(name: "PosixTests", dependencies: ["Posix"]),
        .testTarget(name: "UpstreamTests", dependencies: ["Upstream", "GTID", "Sandbox"]),
        .testTarget(name: "DMTests", dependencies: ["DM", "GTID", "Posix"]),
        .testTarget(name: "DMSimTests", dependencies: ["DM", "GTID", "Sandbox", "Upstream", "Posix", "dmsim"]),
        .testTarget(name: "RunJournalTests", dependencies: ["RunJournal", "Failover"]),
        .testTarget(name: "ControlTests", dependencies: ["Control", "DMSwitchLog", "Sandbox"]),
        .testTarget(name: "CLITests", dependencies: ["Sandbox", "dmswitchctl", "Control"]),
        .testTarget(name: "CoordinationTests", dependencies: ["Coordination", "Sandbox", "Posix"]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "Sandbox", "Upstream", "DM", "Coordination", "Failover"]),
        .testTarget(name: "DemoTests", dependencies: ["Sandbox", "Posix", "dmdemo"]),
    ]
)
