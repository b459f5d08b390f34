// DMSwitchLog: decisions and steps to syslog (journald) over /dev/log.
