import DM
import Foundation

/// `operate-source create|stop|show|update` (v2+, dm-interface §3.4).
extension SimContext {
    func operateSource(_ invocation: Invocation) -> CommandReply {
        guard let operation = invocation.positional.first else {
            return Usage.error("operate-source", version: version)
        }
        let arguments = Array(invocation.positional.dropFirst())
        switch operation {
        case "create":
            guard !arguments.isEmpty else { return Usage.error("operate-source", version: version) }
            var files: [DMSourceFile] = []
            for path in arguments {
                do { files.append(try DMSourceFile.read(path: path)) } catch { return .failure("error in get file content: \(error)") }
            }
            return createSources(files, worker: invocation.workers.first)
        case "stop":
            guard !arguments.isEmpty else { return Usage.error("operate-source", version: version) }
            // Each argument that is not a readable source file is a source-id.
            let ids = arguments.map { (try? DMSourceFile.read(path: $0))?.sourceID ?? $0 }
            return stopSources(ids)
        case "show":
            let ids = invocation.sources.isEmpty ? state.sources.keys.sorted() : invocation.sources
            return .json(Replies.resultWithSources(true, "", ids.map { id in
                guard let source = state.sources[id] else {
                    return Replies.worker(result: false, msg: "source not found", source: id, worker: "")
                }
                return Replies.worker(result: true, msg: source.worker == nil ? "source is added but there is no free worker to bound" : "",
                                      source: id, worker: source.worker ?? "")
            }))
        case "update":
            return .json(Replies.resultWithSources(false, "Update worker config is not supported by dm-ha now", []))
        default:
            return .failure("invalid operate \"\(operation)\" on source")
        }
    }

    /// All-or-nothing: a failure leaves the sources as they were.
    private func createSources(_ files: [DMSourceFile], worker requested: String?) -> CommandReply {
        let before = state
        var replies: [ReplyJSON] = []
        for file in files {
            if state.sources[file.sourceID] != nil {
                state = before
                return .json(Replies.resultWithSources(false, Terror.sourceConfigExists(file.sourceID).description, []))
            }
            if !file.enableGTID {
                record("source", source: file.sourceID, "created without enable-gtid: dmsim replicates by GTID regardless, but a switch would not be allowed")
            }
            state.sources[file.sourceID] = SourceRecord(id: file.sourceID, from: file.from, enableGTID: file.enableGTID,
                                                        enableRelay: file.enableRelay, flavor: file.flavorName)
            // The master connects to the upstream to adjust the config; it must answer.
            switch observe(file.sourceID) {
            case .failure(let failure):
                state = before
                let message = Terror(code: 10001, errClass: "database", scope: "upstream", level: "high",
                                     message: "database driver error", rawCause: failure.description,
                                     workaround: "Please check the database connection and the database config in configuration file.")
                return .json(Replies.resultWithSources(false, message.description, []))
            case .success(let view):
                if state.sources[file.sourceID]?.relayReported(version) ?? false {
                    noteIdentity(file.sourceID, view.identity, forceNew: true)
                }
            }
            let bound = Set(state.sources.values.compactMap(\.worker))
            var worker = config.workers.first { !bound.contains($0.name) }?.name
            if let requested {
                guard config.workers.contains(where: { $0.name == requested }), !bound.contains(requested) else {
                    state = before
                    return .json(Replies.resultWithSources(false, "[code=46033:class=scheduler:scope=internal:level=low], Message: dm-worker with name \(requested) not free", []))
                }
                worker = requested
            }
            state.sources[file.sourceID]?.worker = worker
            record("source", source: file.sourceID, "created: from \(file.from.address), bound to \(worker ?? "no worker")")
            replies.append(Replies.worker(result: true, msg: worker == nil ? "source is added but there is no free worker to bound" : "",
                                          source: file.sourceID, worker: worker ?? ""))
        }
        return .json(Replies.resultWithSources(true, "", replies))
    }

    private func stopSources(_ ids: [String]) -> CommandReply {
        for id in ids {
            guard state.sources[id] != nil else {
                return .json(Replies.resultWithSources(false, Terror.sourceConfigNotExists(id).description, []))
            }
            let tasks = state.tasks.values.filter { $0.subtasks[id] != nil }.map(\.name).sorted()
            if !tasks.isEmpty {
                return .json(Replies.resultWithSources(false, Terror.sourceHasTasks(id, tasks: tasks).description, []))
            }
        }
        var replies: [ReplyJSON] = []
        for id in ids {
            let worker = state.sources[id]?.worker
            state.sources[id] = nil
            record("source", source: id, "stopped")
            replies.append(Replies.worker(result: true, msg: worker == nil ? "source is stopped and hasn't bound to worker before being stopped" : "",
                                          source: id, worker: worker ?? ""))
        }
        return .json(Replies.resultWithSources(true, "", replies))
    }
}
