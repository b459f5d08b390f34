/// Why each runbook step is there, in one plain sentence, by its `step=` name
/// (DESIGN.md, "The four runbooks"; DM's "switch DM-worker connection" procedure).
enum StepNotes {
    static func why(_ step: String) -> String {
        switch step {
        case "query-status": "DM's checkpoint (gtid-S): what DM has already taken from the old upstream."
        case "check": "The candidate still has every binlog DM needs (gtid-P ⊆ gtid-S) and everything DM took (gtid-S ⊆ gtid-E)."
        case "pause-task": "DM stops reading before anything moves, so it never reads from two servers."
        case "recheck": "Pausing flushes DM's checkpoint, so the candidate is checked again before anything is repointed."
        case "pause-relay": "DM v1.0 reads through its relay log: the relay stops too."
        case "move-vip": "The operator's hook points the VIP at the new upstream (HAProxy's runtime API here)."
        case "verify-identity-through-vip": "Through the VIP, the new upstream answers with its own server identity."
        case "switch-relay-master": "The relay opens a new sub-directory for the new upstream."
        case "resume-relay": "The relay reads again, now from the new upstream."
        case "resume-task": "DM resumes from its checkpoint, now on the new upstream."
        case "stop-task": "The address cannot change under a running task: it stops, its checkpoint kept."
        case "operate-source-stop": "The DM source is removed, to be created again with the new address."
        case "rewrite-source-file": "The operator's saved source file gets the new from.host and from.port."
        case "operate-source-create": "The source is created again from the saved file."
        case "start-task": "The task starts from its saved file and its kept checkpoint (never --remove-meta)."
        case "rewrite-inventory": "The worker's DM-Ansible inventory entry gets the new mysql_host and mysql_port."
        case "run-rolling-update": "The DM-Ansible rolling update restarts the worker on the new address."
        case "verify-running": "Every task of the source is Running again."
        default: "A step of the runbook."
        }
    }
}
