/// How the files a configuration names (password files, certificates, task and source files,
/// dmctl and the hook programs) are checked on disk.
///
/// The split exists because a configuration is often checked away from where it runs: on an
/// operator's laptop, in CI, or before the files are deployed. There a missing file is news,
/// not a fault. A file that exists but cannot work (a directory where a file belongs, a
/// program without any execute bit) is wrong wherever it is checked.
public enum ReferencedFilePolicy: Hashable, Sendable {
    /// Do not look at the disk: only the configuration itself is checked.
    case ignore
    /// Missing, unreadable or unwritable files are warnings; files that exist but cannot
    /// work are errors. The default of `check-config`.
    case warn
    /// Every file problem is an error: the daemon at start, and `check-config --strict`,
    /// both run where the files must be.
    case require
}
