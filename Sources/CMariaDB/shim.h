// The MariaDB Connector/C client API (Debian: libmariadb-dev), used for every
// conversation dmswitch has with a MySQL or MariaDB instance.
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
