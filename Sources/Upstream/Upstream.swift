// Upstream: observing MySQL/MariaDB instances over libmariadb.
