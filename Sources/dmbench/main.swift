// dmbench: `make bench` — detection, switch, recovery and footprint of dmswitchd on this
// machine, as a table and bench/results.json. The parts are FailoverBench and FootprintBench.
import Foundation

exit(await Bench.main(Array(CommandLine.arguments.dropFirst())))
