import Failover
import GTID
import Upstream

/// The core (module Failover) has its own vocabulary so it stays pure; these
/// translations are the whole of the adapter between what the Upstream module
/// observed and what the core decides on.
extension Failover.InstanceAddress {
    init(_ address: Upstream.InstanceAddress) {
        self.init(host: address.host, port: address.port)
    }
}

extension Upstream.InstanceAddress {
    init(_ address: Failover.InstanceAddress) {
        self.init(host: address.host, port: address.port)
    }
}

extension Failover.InstanceObservation {
    init(_ observation: Upstream.InstanceObservation) {
        let instance = Failover.InstanceAddress(observation.instance)
        switch observation.outcome {
        case .reachable(let state):
            self.init(instance: instance, outcome: .reachable(Failover.InstanceState(state)))
        case .failed(let failure):
            self.init(instance: instance, outcome: .failed(Failover.ProbeFailure(failure)))
        }
    }
}

extension Failover.ProbeFailure {
    init(_ failure: Upstream.ProbeFailure) {
        let kind: Failover.ProbeFailureKind =
            switch failure.kind {
            case .refused: .refused
            case .timedOut: .timedOut
            case .unreachable: .unreachable
            case .connectionLost: .connectionLost
            case .authFailure: .authFailure
            case .aliveError: .aliveError
            // An unexpected answer that the Upstream module still recognises as
            // proof of life (a privilege error, say) must not count towards "down".
            case .other: failure.isAliveEvidence ? .aliveError : .other
            }
        self.init(kind: kind, message: failure.message)
    }
}

extension Failover.InstanceState {
    init(_ state: Upstream.InstanceState) {
        self.init(
            serverIdentity: state.serverIdentity,
            readOnly: state.readOnly,
            gtidE: state.gtidE,
            gtidP: state.gtidP,
            replication: state.replication.map(Failover.ReplicationStatus.init),
            preflight: Failover.PreflightFacts(
                logBin: state.preflight.logBin,
                logSlaveUpdates: state.preflight.logSlaveUpdates,
                gtidMode: state.preflight.gtidMode,
                gtidStrictMode: state.preflight.gtidStrictMode,
                binlogFormat: state.preflight.binlogFormat))
    }
}

extension Failover.ReplicationStatus {
    init(_ status: Upstream.ReplicationStatus) {
        self.init(
            sourceHost: status.sourceHost,
            sourcePort: status.sourcePort,
            ioThread: Failover.ReplicationThreadState(status.ioThread),
            sqlThread: Failover.ReplicationThreadState(status.sqlThread),
            lastIOErrno: status.lastIOErrno,
            lastIOError: status.lastIOError,
            lastSQLErrno: status.lastSQLErrno,
            lastSQLError: status.lastSQLError,
            received: status.received,
            secondsBehind: status.secondsBehind)
    }
}

extension Failover.ReplicationThreadState {
    init(_ state: Upstream.ReplicationThreadState) {
        switch state {
        case .running: self = .running
        case .stopped: self = .stopped
        case .connecting: self = .connecting
        case .other(let text): self = .other(text)
        }
    }
}
