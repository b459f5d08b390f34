// GTID: MySQL GTID sets and MariaDB GTID positions, with parsing, canonical
// printing and set algebra. Standard library only; no I/O.
