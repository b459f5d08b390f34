import DMSwitchConfig
import DMSwitchLog
import Dispatch
import Failover
import Foundation
import Glibc
import Synchronization
import Testing
import Control
@testable import Daemon

/// The decision thread and its performer without servers: what happens to commands and
/// reloads at the edges (the loop ended, the journal failing, groups coming and going).
@Suite("The decision loop: commands, reloads and the journal at the edges")
struct DecisionLoopTests {
    struct MemoryJournal: JournalWriting {
        let fails: Bool
        func append(_ record: JournalRecord) throws(JournalWriteError) {
            if fails { throw JournalWriteError(description: "write: No space left on device (errno 28)") }
        }
    }

    /// A loop with `groups`, already started.
    static func running(_ groups: [GroupSettings] = [], resources: [String: GroupResources] = [:], journalFails: Bool = false)
        -> (DecisionLoop, ActionPerformer)
    {
        let loop = DecisionLoop()
        let shells = groups.compactMap { settings in
            resources[settings.name].map { GroupShell(resources: $0, settings: settings, post: { loop.post($0) }) }
        }
        let performer = ActionPerformer(shells: shells, journal: MemoryJournal(fails: journalFails), log: .discarding, post: { loop.post($0) })
        let core = SupervisorCore(groups: groups, replayed: ReplayedState(), runIDPrefix: "t", at: .now)
        loop.start(core: core, performer: performer)
        return (loop, performer)
    }

    /// Posts `command` and waits (bounded) for its reply.
    static func ask(_ loop: DecisionLoop, _ command: OperatorCommand, within timeout: Duration = .seconds(5)) -> OperatorReply? {
        let answer = Mutex<OperatorReply?>(nil)
        let answered = DispatchSemaphore(value: 0)
        loop.post(.command(command) { reply in
            answer.withLock { $0 = reply }
            answered.signal()
        })
        _ = answered.wait(timeout: .now() + Double(timeout.components.seconds))
        return answer.withLock { $0 }
    }

    static func reload(_ loop: DecisionLoop, _ change: Reconfiguration) -> Result<String, ReloadRefusal>? {
        let outcome = Mutex<Result<String, ReloadRefusal>?>(nil)
        let done = DispatchSemaphore(value: 0)
        loop.post(.reconfigure(change) { result in
            outcome.withLock { $0 = result }
            done.signal()
        })
        _ = done.wait(timeout: .now() + 5)
        return outcome.withLock { $0 }
    }

    /// A configuration of groups whose instances and DM are not there (nothing needs to answer).
    static func configuration(
        groups: [String], in directory: ScratchDirectory, timeout: String = "1s", hook: String = "/bin/true"
    ) throws -> DMSwitchConfiguration {
        var text = """
            [daemon]
            state-dir = "\(directory.path)"
            [dm]
            dmctl-path = "/bin/true"
            master-addr = ["127.0.0.1:1"]
            work-dir = "\(directory.path)/dm"
            [detection]
            timeout = "\(timeout)"
            [mysql]
            user = "monitor"
            password-file = ""

            """
        for (number, group) in groups.enumerated() {
            text += """

                [[group]]
                source-id = "\(group)"
                scenario = "vip"
                vip = "127.0.0.2:\(3300 + number)"
                vip-move-command = ["\(hook)"]
                [[group.instance]]
                address = "127.0.0.3:\(3300 + number)"
                [[group.instance]]
                address = "127.0.0.4:\(3300 + number)"

                """
        }
        let validation = ConfigLoader.validate(text: text, file: "loop.toml", referencedFiles: .ignore)
        return try #require(validation.configuration, "\(validation.errors)")
    }

    @Test("A command posted after the loop ended is refused at once, not left waiting for the control timeout")
    func commandAfterEnd() {
        let (loop, _) = Self.running()
        loop.requestStop()
        loop.waitUntilFinished()
        let started = ContinuousClock.now
        #expect(Self.ask(loop, .check(group: "g", to: nil), within: .seconds(10)) == .refused("dmswitchd is stopping."))
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(Self.reload(loop, Reconfiguration(settings: [], resources: [:], alsoChanged: [])).map { (try? $0.get()) == nil } == true)
    }

    @Test("When the journal cannot be written, the command of that batch is refused rather than never answered")
    func journalFailure() {
        let (loop, _) = Self.running(journalFails: true)
        defer {
            loop.requestStop()
            loop.waitUntilFinished()
        }
        let reply = Self.ask(loop, .hold(.global, reason: "maintenance", owner: "alice", until: nil))
        guard case .refused(let sentence) = reply else {
            Issue.record("expected a refusal, got \(String(describing: reply))")
            return
        }
        #expect(sentence.hasPrefix("dmswitchd could not write its journal (write: No space left on device (errno 28))"))
    }

    @Test("A reload gives a new group a shell at once and takes a removed group's away")
    func reloadShells() throws {
        let directory = try ScratchDirectory()
        let one = try Self.configuration(groups: ["g1"], in: directory)
        let first = try ReloadPlan.groups(of: one, log: .discarding, previous: { _ in nil })
        let (loop, performer) = Self.running(first.settings, resources: first.resources)
        defer {
            loop.requestStop()
            loop.waitUntilFinished()
        }
        let two = try ReloadPlan.groups(of: try Self.configuration(groups: ["g1", "g2"], in: directory), log: .discarding, previous: { performer.shell($0)?.resources })
        let added = Self.reload(loop, Reconfiguration(settings: two.settings, resources: two.resources, alsoChanged: []))
        #expect(added.flatMap { try? $0.get() } == "Reloaded the configuration: group g2 added.")
        #expect(performer.shell("g2") != nil)
        #expect(performer.shell("g1")?.resources.probes === first.resources["g1"]?.probes, "an unchanged group keeps its shell")

        let none = Self.reload(loop, Reconfiguration(settings: [], resources: [:], alsoChanged: []))
        #expect(none.flatMap { try? $0.get() } == "Reloaded the configuration: groups g1, g2 removed.")
        #expect(performer.shell("g1") == nil && performer.shell("g2") == nil)
        // `status` is published after the batch that answered.
        let deadline = ContinuousClock.now + .seconds(5)
        while loop.published.withLock({ $0?.status.groups.isEmpty }) != true, ContinuousClock.now < deadline { usleep(10_000) }
        #expect(loop.published.withLock { $0?.status.groups.isEmpty } == true)
    }

    @Test("A group's probe pools carry over a reload unless the credentials or timeouts change; hook changes are noticed")
    func resourcesReuse() throws {
        let directory = try ScratchDirectory()
        let before = try ReloadPlan.groups(of: try Self.configuration(groups: ["g1"], in: directory), log: .discarding, previous: { _ in nil })
        let old = try #require(before.resources["g1"])
        let same = try ReloadPlan.groups(of: try Self.configuration(groups: ["g1"], in: directory), log: .discarding, previous: { _ in old })
        #expect(same.resources["g1"]?.probes === old.probes)
        #expect(same.resources["g1"]?.vipProbes === old.vipProbes)
        #expect(same.resources["g1"]?.origin == old.origin)
        let slower = try ReloadPlan.groups(of: try Self.configuration(groups: ["g1"], in: directory, timeout: "2s"), log: .discarding, previous: { _ in old })
        #expect(slower.resources["g1"]?.probes !== old.probes)
        let hooked = try ReloadPlan.groups(of: try Self.configuration(groups: ["g1"], in: directory, hook: "/bin/false"), log: .discarding, previous: { _ in old })
        #expect(hooked.resources["g1"]?.origin != old.origin)
        #expect(hooked.settings == before.settings, "the core's settings do not see the hook")
    }

    @Test("A control command waits less than dmswitchctl does, so a slow answer is 'busy', never a bare timeout")
    func replyTimeout() {
        #expect(ControlBridge.replyTimeout(commandTimeout: .seconds(30)) < ControlClient.defaultTimeout)
        #expect(ControlBridge.replyTimeout(commandTimeout: .seconds(5)) == .seconds(10))
    }
}
