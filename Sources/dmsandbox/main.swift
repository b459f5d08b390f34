// dmsandbox: starts and operates a local MariaDB sandbox for `make demo` and `make bench`.
// Commands live in their own files; DMSandbox.run dispatches.
import Foundation

let outcome = await DMSandbox.run(Array(CommandLine.arguments.dropFirst()))
FileHandle.standardOutput.write(Data(outcome.stdout.utf8))
FileHandle.standardError.write(Data(outcome.stderr.utf8))
exit(outcome.status)
