/// Constants of the control protocol shared by `dmswitchd` and `dmswitchctl`.
///
/// The protocol is newline-delimited JSON over a Unix stream socket, one request and one response
/// per connection (like HAProxy's non-interactive runtime API): simple to script with `socat`, and
/// a stuck client can only ever hold one slot. `docs/control-protocol.md` is the reference.
public enum ControlProtocol {
    /// The protocol version in every request and response (`"v": 1`).
    public static let version = 1
    /// Where the daemon listens unless the configuration says otherwise.
    public static let defaultSocketPath = "/run/dmswitch/control.sock"
    /// The environment variable `dmswitchctl` reads when `--socket` is not given.
    public static let socketEnvironmentVariable = "DMSWITCH_SOCKET"
    /// The largest request the server reads (64 KiB); a request is a few hundred bytes.
    public static let maximumRequestBytes = 64 * 1024
    /// The largest response the client reads (16 MiB): a long history still fits.
    public static let maximumResponseBytes = 16 * 1024 * 1024
}

/// The release of dmswitch, printed by `--version`.
public enum DMSwitchRelease {
    public static let version = "0.1.0"
}
