// dmswitchd: the failover daemon. The wiring lives in the Daemon module; this file only
// hands the command line to `DaemonCommandLine` and exits with its code.
import Foundation

exit(DaemonCommandLine.run(Array(CommandLine.arguments.dropFirst())))
