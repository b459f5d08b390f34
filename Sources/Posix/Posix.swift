// Posix: thin, typed wrappers over the system calls dmswitch needs.
