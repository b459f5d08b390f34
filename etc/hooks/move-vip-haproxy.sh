#!/bin/sh
# move-vip-haproxy.sh — example dmswitchd hook: move a VIP played by HAProxy.
#
# dmswitchd runs the VIP hook after it has paused every DM task of the group
# and before it verifies, through the VIP, that the new instance answers.
# This script points an HAProxy backend at the new instance through
# HAProxy's runtime API: every other server of the backend goes to
# maintenance and its open sessions are shut down (so DM's old connections
# end now instead of lingering on the old instance), then the new one is set
# ready. It exits 0 only when HAProxy reports the new server as the one
# serving. It is idempotent: running it twice for the same move is harmless.
#
# Environment from dmswitchd:
#   DMSWITCH_RUN_ID        the run's id (prefixes every line this script logs)
#   DMSWITCH_GROUP         the group's name
#   DMSWITCH_OLD_INSTANCE  host:port the VIP pointed at (may be empty)
#   DMSWITCH_NEW_INSTANCE  host:port to point the VIP at (required)
# Settings of this script:
#   HAPROXY_SOCKET         HAProxy admin socket ("stats socket ... level admin"),
#                          default /run/haproxy/admin.sock
#   HAPROXY_BACKEND        the backend whose servers are the group's instances (required)
#   HAPROXY_TIMEOUT        seconds to wait for HAProxy's answer, default 5
#
# The backend's servers must be listed by address (the IP HAProxy resolved)
# and port; names are looked up in `show servers state`. Requires socat.
#
# Exit status: 0 moved; 1 HAProxy refused or did not confirm; 2 bad settings.

set -eu

HAPROXY_SOCKET=${HAPROXY_SOCKET:-/run/haproxy/admin.sock}
HAPROXY_TIMEOUT=${HAPROXY_TIMEOUT:-5}
RUN=${DMSWITCH_RUN_ID:-manual}

log() { printf 'run=%s group=%s move-vip-haproxy: %s\n' "$RUN" "${DMSWITCH_GROUP:-?}" "$*" >&2; }
fail() { log "$2"; exit "$1"; }

[ -n "${HAPROXY_BACKEND:-}" ] || fail 2 "HAPROXY_BACKEND is not set; set it to the backend that holds the group's instances."
[ -n "${DMSWITCH_NEW_INSTANCE:-}" ] || fail 2 "DMSWITCH_NEW_INSTANCE is not set; dmswitchd passes host:port of the new instance."
command -v socat >/dev/null 2>&1 || fail 2 "socat is not installed (Debian: apt-get install socat)."
[ -S "$HAPROXY_SOCKET" ] || fail 2 "HAPROXY_SOCKET $HAPROXY_SOCKET is not a socket."

# host:port, [v6]:port
new_port=${DMSWITCH_NEW_INSTANCE##*:}
new_host=${DMSWITCH_NEW_INSTANCE%:*}
new_host=${new_host#[}
new_host=${new_host%]}
case $new_port in ''|*[!0-9]*) fail 2 "DMSWITCH_NEW_INSTANCE=$DMSWITCH_NEW_INSTANCE is not host:port." ;; esac

api() {
    printf '%s\n' "$1" | socat -t "$HAPROXY_TIMEOUT" -T "$HAPROXY_TIMEOUT" stdio "unix-connect:$HAPROXY_SOCKET"
}

# Prints "name op_state" of every server of the backend, or "name" of the one at $1:$2.
servers() {
    api "show servers state $HAPROXY_BACKEND" | awk -v host="${1:-}" -v port="${2:-}" '
        /^# be_id/ { for (i = 2; i <= NF; i++) column[$i] = i - 1; next }
        /^#/ || NF < 5 || !("srv_name" in column) { next }
        host == "" { print $(column["srv_name"]), $(column["srv_op_state"]); next }
        $(column["srv_addr"]) == host && $(column["srv_port"]) == port { print $(column["srv_name"]) }'
}

listing=$(servers) || fail 1 "could not read the servers of backend $HAPROXY_BACKEND from $HAPROXY_SOCKET."
[ -n "$listing" ] || fail 2 "HAProxy has no backend $HAPROXY_BACKEND (or it has no servers)."

target=$(servers "$new_host" "$new_port")
if [ -z "$target" ]; then
    # The instance may be named by host name; HAProxy lists addresses.
    resolved=$(getent ahosts "$new_host" 2>/dev/null | awk 'NR == 1 { print $1 }')
    [ -n "$resolved" ] && target=$(servers "$resolved" "$new_port")
fi
[ -n "$target" ] || fail 2 "no server of backend $HAPROXY_BACKEND listens at $DMSWITCH_NEW_INSTANCE."
case $target in *"
"*) fail 2 "several servers of backend $HAPROXY_BACKEND are at $DMSWITCH_NEW_INSTANCE: $(echo "$target" | tr '\n' ' ')." ;; esac

log "moving the VIP of backend $HAPROXY_BACKEND from ${DMSWITCH_OLD_INSTANCE:-unknown} to $DMSWITCH_NEW_INSTANCE (server $target)."
commands=""
for server in $(printf '%s\n' "$listing" | awk '{ print $1 }'); do
    [ "$server" = "$target" ] && continue
    commands="${commands}set server $HAPROXY_BACKEND/$server state maint; shutdown sessions server $HAPROXY_BACKEND/$server; "
done
commands="${commands}set server $HAPROXY_BACKEND/$target state ready"
answer=$(api "$commands") || fail 1 "HAProxy did not take the commands."
answer=$(printf '%s' "$answer" | tr -s '\n' ' ' | sed 's/^ *//; s/ *$//')
[ -z "$answer" ] || fail 1 "HAProxy answered: $answer"

serving=$(servers | awk '$2 == 2 { print $1 }')
[ "$serving" = "$target" ] || fail 1 "after the move HAProxy serves from '$(echo "$serving" | tr '\n' ' ')', not $target."
log "the VIP now points at $DMSWITCH_NEW_INSTANCE (server $target)."
