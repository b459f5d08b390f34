// dmswitchctl: the operator's client. It only speaks the control protocol,
// plus offline helpers. Commands live in their own files; CLICommand.all is the table.
import Foundation
import Glibc

let context = CLIContext(
    environment: ProcessInfo.processInfo.environment,
    standardInputIsTerminal: isatty(STDIN_FILENO) == 1,
    ask: { question in
        FileHandle.standardError.write(Data(question.utf8))
        return readLine(strippingNewline: true)
    })
let result = DMSwitchCtl.run(Array(CommandLine.arguments.dropFirst()), context: context)
FileHandle.standardOutput.write(Data(result.stdout.utf8))
FileHandle.standardError.write(Data(result.stderr.utf8))
exit(result.status)
