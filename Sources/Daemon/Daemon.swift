// Daemon: the shell of dmswitchd that wires the core to the adapters.
