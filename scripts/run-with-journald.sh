#!/bin/bash
# Runs COMMAND next to a real systemd-journald, inside private namespaces, so that tests can
# check what dmswitchd's log lines become in the journal without touching the host's logging.
#
# Usage (as root):
#   unshare --mount --pid --net --ipc --uts --fork --kill-child --mount-proc --propagation private \
#       scripts/run-with-journald.sh JOURNAL_DIR RUNTIME_DIR COMMAND [ARGS...]
#
# JOURNAL_DIR  receives the journal files (read them afterwards with journalctl --directory=...).
# RUNTIME_DIR  is mounted as /run inside the namespace, so journald's sockets are also reachable
#              from outside: RUNTIME_DIR/systemd/journal/dev-log is the namespace's /dev/log.
# Inside, /dev/log points at journald's syslog socket, as systemd arranges on a real host.
# The exit status is COMMAND's; journald is stopped (and flushes) before the script exits.
set -eu
if [ $# -lt 3 ]; then
    echo "Usage: $0 JOURNAL_DIR RUNTIME_DIR COMMAND [ARGS...]" >&2
    exit 64
fi
journal_dir=$(realpath -m "$1")
runtime_dir=$(realpath -m "$2")
shift 2
journald=/lib/systemd/systemd-journald
if [ ! -x "$journald" ]; then
    echo "$0: $journald is missing; install the systemd package" >&2
    exit 69
fi
if [ "$$" != 1 ] && ! grep -q '^NSpid:.*[[:space:]]1$' /proc/self/status; then
    echo "$0: run me through unshare --mount --pid --fork ... (I mount over /run, /dev and /var/log)" >&2
    exit 64
fi

mkdir -p "$journal_dir" "$runtime_dir"
mount --bind "$runtime_dir" /run
mkdir -p /run/systemd/journald.conf.d /run/systemd/journal
printf '[Journal]\nStorage=persistent\nReadKMsg=no\nForwardToSyslog=no\nForwardToKMsg=no\nForwardToConsole=no\nForwardToWall=no\nRateLimitBurst=0\n' \
    > /run/systemd/journald.conf.d/test.conf
# Write straight to /var/log/journal instead of a runtime journal that would need a flush.
touch /run/systemd/journal/flushed

# A private /var/log whose journal directory is JOURNAL_DIR.
mount -t tmpfs -o mode=755 tmpfs /var/log
mkdir -p /var/log/journal
mount --bind "$journal_dir" /var/log/journal

# A private /dev with the few devices journald needs and the /dev/log symlink.
dev=$(mktemp -d /tmp/run-with-journald-dev.XXXXXX)
mount -t tmpfs -o mode=755 tmpfs "$dev"
for node in null zero full random urandom tty; do
    touch "$dev/$node"
    mount --bind "/dev/$node" "$dev/$node"
done
ln -s /run/systemd/journal/dev-log "$dev/log"
mount --rbind "$dev" /dev

SYSTEMD_LOG_TARGET=console "$journald" > "$journal_dir/journald.log" 2>&1 &
journald_pid=$!
for _ in $(seq 1 100); do
    [ -S /run/systemd/journal/socket ] && [ -S /run/systemd/journal/dev-log ] && break
    sleep 0.05
done
if [ ! -S /run/systemd/journal/dev-log ]; then
    echo "$0: systemd-journald did not create its sockets; its log:" >&2
    cat "$journal_dir/journald.log" >&2
    exit 70
fi

set +e
"$@"
status=$?
set -e
journalctl --sync >/dev/null 2>&1 || sleep 0.3
kill -TERM "$journald_pid"
wait "$journald_pid" || true
exit $status
