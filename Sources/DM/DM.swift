// DM: driving TiDB Data Migration through dmctl.
