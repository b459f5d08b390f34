// Sandbox: real MariaDB replication groups on loopback, for tests and the demo.
