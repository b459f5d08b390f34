// dmswitchd: the failover daemon. The wiring lives in the Daemon module.
print("Usage: dmswitchd --config FILE | --check-config FILE")
