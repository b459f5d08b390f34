import Foundation

/// dmsim's setup, read from `config.json` in the state directory (written by `sim-init`).
///
/// It fixes what a real DM cluster would know by itself: its release, where its masters
/// listen, which workers exist, and how dmsim reaches the servers it drives (the login for
/// the downstream, which needs replication-admin rights the task's own user may lack).
struct SimConfig: Codable, Equatable {
    /// A DM-worker: a name (v2+) and an address; v1 addresses workers by `host:port` only.
    struct Worker: Codable, Equatable {
        var name: String
        var addr: String
    }

    /// A login given by user name and a file holding the password (never the password itself).
    struct Login: Codable, Equatable {
        var user: String
        var passwordFile: String?
    }

    var version: String
    var masterAddrs: [String]
    var workers: [Worker]
    /// The login dmsim uses on every downstream for `CHANGE MASTER` and status queries;
    /// nil means the task's `target-database` login.
    var downstream: Login?
    /// The login dmsim uses to observe upstreams; nil means the source's `from` login.
    var upstream: Login?
    /// Connect/read timeout, in seconds, for every server conversation (a hung server must
    /// not hang dmctl callers forever).
    var connectTimeoutSeconds: Int

    static let fileName = "config.json"

    static func defaultWorkers(count: Int) -> [Worker] {
        (1...max(1, count)).map { Worker(name: "dm-worker-\($0)", addr: "127.0.0.1:\(8261 + $0)") }
    }
}

/// Why dmsim's own setup cannot be used.
struct SimSetupError: Error, Equatable, CustomStringConvertible {
    var description: String
}

extension SimConfig.Login {
    /// Reads the password file (trailing newline removed); no file means an empty password.
    func resolvedPassword() throws(SimSetupError) -> String {
        guard let passwordFile else { return "" }
        guard let data = FileManager.default.contents(atPath: passwordFile),
              let text = String(data: data, encoding: .utf8) else {
            throw SimSetupError(description: "The password file \"\(passwordFile)\" named in dmsim's config.json cannot be read.")
        }
        return text.trimmingCharacters(in: .newlines)
    }
}
