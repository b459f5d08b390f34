import Glibc
import Posix

/// The process at the other end of a control connection, from SO_PEERCRED.
///
/// The credentials are the ones the peer had at connect(); the pid is information only (pids are
/// recycled). The user name, when the uid has one, is what a hold records as its owner.
public struct ControlPeer: Hashable, Sendable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
    /// The uid's passwd name, if it has one.
    public var userName: String?

    public init(pid: Int32, uid: UInt32, gid: UInt32, userName: String?) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
        self.userName = userName
    }

    /// Resolves the user name of `credentials`.
    public init(_ credentials: PeerCredentials) {
        self.init(
            pid: credentials.pid, uid: credentials.uid, gid: credentials.gid,
            userName: UserDatabase.userName(uid: credentials.uid))
    }

    /// `alice`, or `uid 1000` for a uid without a passwd entry: the owner of a hold.
    public var owner: String {
        userName ?? "uid \(uid)"
    }

    /// `alice (uid 1000, pid 4242)`.
    public var description: String {
        if let userName { return "\(userName) (uid \(uid), pid \(pid))" }
        return "uid \(uid) (pid \(pid))"
    }
}

/// Reentrant look-ups in the user and group databases (getpwuid_r, getgrnam_r, getgrouplist).
public enum UserDatabase {
    /// The passwd name of `uid`, or nil.
    public static func userName(uid: UInt32) -> String? {
        withGrowingBuffer { buffer -> (Int32, String?) in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let rc = getpwuid_r(uid, &entry, buffer.start, buffer.count, &result)
            return (rc, result.flatMap { $0.pointee.pw_name.map { String(cString: $0) } })
        }
    }

    /// The gid of the group called `name`, or nil when there is none.
    public static func groupID(named name: String) -> UInt32? {
        withGrowingBuffer { buffer -> (Int32, UInt32?) in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let rc = getgrnam_r(name, &entry, buffer.start, buffer.count, &result)
            return (rc, result.map { $0.pointee.gr_gid })
        }
    }

    /// The name of group `gid`, or nil.
    public static func groupName(gid: UInt32) -> String? {
        withGrowingBuffer { buffer -> (Int32, String?) in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let rc = getgrgid_r(gid, &entry, buffer.start, buffer.count, &result)
            return (rc, result.flatMap { $0.pointee.gr_name.map { String(cString: $0) } })
        }
    }

    /// All groups of user `name` whose primary group is `gid` (supplementary ones from /etc/group).
    public static func groupList(user name: String, primaryGroup gid: UInt32) -> [UInt32] {
        var count: Int32 = 32
        while count <= 65536 {
            var groups = [gid_t](repeating: 0, count: Int(count))
            var found = count
            if getgrouplist(name, gid, &groups, &found) >= 0 {
                return Array(groups.prefix(Int(found)))
            }
            count = max(found, count * 2)
        }
        return [gid]
    }

    /// Calls a `*_r` look-up with a buffer that grows on ERANGE.
    private static func withGrowingBuffer<T>(_ lookUp: ((start: UnsafeMutablePointer<CChar>, count: Int)) -> (Int32, T?)) -> T? {
        var size = 1024
        while size <= 1 << 20 {
            let start = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { start.deallocate() }
            let (rc, value) = lookUp((start, size))
            if rc == ERANGE { size *= 2; continue }
            return rc == 0 ? value : nil
        }
        return nil
    }
}
