// dmdemo: `make demo` — a whole DM deployment on this machine, its upstream killed,
// and dmswitchd moving DM, narrated step by step. The script is DemoRun; Demo owns
// the exit paths and the cleanup.
import Foundation

exit(await Demo.main(Array(CommandLine.arguments.dropFirst())))
