import Failover

/// A reloaded configuration, prepared off the decision thread and applied on it in one step.
///
/// Everything that can fail (reading files, resolving DM and probe settings) happened before
/// this value exists, so applying it cannot fail half-way: the reload is all or nothing.
struct Reconfiguration: Sendable {
    /// Every group of the new configuration, in its order.
    var settings: [GroupSettings]
    /// The shell's resources for every group, used when the core says the group's new
    /// settings take effect (at once, or when its run ends).
    var resources: [String: GroupResources]
    /// Groups whose resources differ although their core settings do not.
    var alsoChanged: Set<String>
}
