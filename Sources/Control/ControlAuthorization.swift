import Glibc

/// Who may use the control socket: root, the daemon's own user, and members of the control group.
///
/// Membership is the peer's primary gid (as SO_PEERCRED reports it) or a supplementary group of
/// the peer's user in the group database. The socket file's mode and group already keep others
/// out; this check is the second lock, and the one that produces a clear `permission-denied`.
public struct ControlAuthorization: Hashable, Sendable {
    /// The control group's name and gid, or nil when only root may connect.
    public let groupName: String?
    public let groupID: UInt32?
    /// The daemon's effective uid (a daemon not running as root still accepts itself).
    public let daemonUID: UInt32

    /// Resolves `groupName`; a name with no group is an error, never "allow nobody" in silence.
    public init(groupName: String?) throws(ControlServerError) {
        self.groupName = groupName
        if let groupName {
            guard let gid = UserDatabase.groupID(named: groupName) else {
                throw ControlServerError(.unknownGroup(groupName))
            }
            self.groupID = gid
        } else {
            self.groupID = nil
        }
        self.daemonUID = geteuid()
    }

    /// For tests: a known gid without a database look-up.
    public init(groupName: String?, groupID: UInt32?, daemonUID: UInt32) {
        self.groupName = groupName
        self.groupID = groupID
        self.daemonUID = daemonUID
    }

    /// Whether `peer` may send requests, looking up its user's groups with getgrouplist.
    public func allows(_ peer: ControlPeer) -> Bool {
        allows(peer, groupsOf: UserDatabase.groupList)
    }

    /// Whether `peer` may send requests; `groupsOf` lists a user's groups.
    public func allows(_ peer: ControlPeer, groupsOf: (_ user: String, _ primaryGroup: UInt32) -> [UInt32]) -> Bool {
        if peer.uid == 0 || peer.uid == daemonUID { return true }
        guard let groupID else { return false }
        if peer.gid == groupID { return true }
        guard let user = peer.userName else { return false }
        return groupsOf(user, peer.gid).contains(groupID)
    }

    /// The sentence a refused peer receives.
    public func refusal(for peer: ControlPeer) -> ControlError {
        let who = peer.userName.map { "User \($0) (uid \(peer.uid))" } ?? "uid \(peer.uid)"
        let allowed = groupName.map { "root and members of group \($0)" } ?? "root"
        return ControlError(.permissionDenied, "\(who) may not use the dmswitchd control socket; it is open to \(allowed).")
    }
}
