import Foundation
import Glibc
import Sandbox
import Upstream

/// `dmsandbox up`: start a sandbox, in the background (default) or the foreground.
enum UpCommand {
    static func run(_ arguments: SandboxArguments) async throws(SandboxError) -> DMSandbox.Outcome {
        let options = SandboxOptions(
            instances: arguments.instances ?? 3, directory: arguments.directory,
            vip: arguments.flags.contains("vip"), downstream: arguments.flags.contains("downstream"),
            maxConnections: arguments.maxConnections ?? 100)
        let sandbox = try await Sandbox.start(options)
        let report = arguments.flags.contains("json") ? try StatusCommand.json(sandbox.manifest) : StatusCommand.table(sandbox.manifest)
        guard arguments.flags.contains("foreground") else {
            sandbox.detach()
            return .ok(report)
        }
        FileHandle.standardOutput.write(Data((report + "Running in the foreground; Ctrl-C or SIGTERM stops the sandbox.\n").utf8))
        let signal = await TerminationSignal.wait()
        sandbox.destroy()
        return .ok("Stopped the sandbox in \(sandbox.directory) on \(signal).\n")
    }
}

/// `dmsandbox down`: kill everything and remove what `up` created.
enum DownCommand {
    static func run(_ arguments: SandboxArguments) throws(SandboxError) -> DMSandbox.Outcome {
        let sandbox = try Sandbox.attach(directory: arguments.directory)
        sandbox.destroy()
        return .ok("Stopped the sandbox in \(sandbox.directory).\n")
    }
}

/// `dmsandbox status`: what sandbox.json says, with whether each pid still runs.
enum StatusCommand {
    static func run(_ arguments: SandboxArguments) throws(SandboxError) -> DMSandbox.Outcome {
        let manifest = try SandboxManifest.load(directory: arguments.directory)
        return .ok(arguments.flags.contains("json") ? try json(manifest) : table(manifest))
    }

    static func json(_ manifest: SandboxManifest) throws(SandboxError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(manifest), as: UTF8.self) + "\n"
        } catch {
            throw SandboxError("print the sandbox as JSON", "\(error)")
        }
    }

    static func table(_ manifest: SandboxManifest) -> String {
        var lines = ["Sandbox in \(manifest.directory) (\(manifest.directory)/\(SandboxManifest.fileName))"]
        let records = manifest.instances + (manifest.downstream.map { [$0] } ?? [])
        for record in records {
            let role = record.number == 0 ? "downstream" : (record.number == manifest.primary ? "primary" : "replica")
            let pid = record.pid.map(String.init) ?? "-"
            lines.append("  \(record.name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(record.address)  pid \(pid)  \(record.status.rawValue)  \(role)")
        }
        if let vip = manifest.vip {
            lines.append("  vip         \(vip.address)  pid \(vip.pid.map(String.init) ?? "-")  admin socket \(vip.adminSocket)")
        }
        let users = manifest.users
        for (role, user) in [("monitor", users.monitor), ("replication", users.replication), ("writer", users.writer), ("admin", users.admin)] {
            lines.append("  user \(role): \(user.user) (password file \(user.passwordFile))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
