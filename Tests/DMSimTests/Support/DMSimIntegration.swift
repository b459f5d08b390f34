import Testing

/// Every DMSimTests suite that starts MariaDB servers, nested here so that `.serialized`
/// runs them one at a time: sibling suites run in parallel otherwise, and the machine has
/// two cores.
@Suite("dmsim against real MariaDB servers", .serialized)
struct DMSimIntegration {}
