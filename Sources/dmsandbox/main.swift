// dmsandbox: starts and operates a local MariaDB sandbox for `make demo` and `make bench`.
