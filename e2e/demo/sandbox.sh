#!/bin/bash
# The demo's sandbox hosts: the test-host lab's own functions (e2e/hosts/lib) on a separate state dir and on host
# indices the test suite never uses (21..23 = 198.51.100.31..33), so the demo and the tests can run side by side.
# Usage: sandbox.sh check | up | down | status | cut I | heal I | crash I | restart I | stop-sshd I | start-sshd I
# env: KUBEXMS_DEMO_LAB (/var/tmp/kubexms-demo), KEEP=1 (down keeps the host dirs: upper layers, keys, journal)
# Shared with the test lab: the bridge br-kxlab and the tmpfs on /run/systemd/nspawn. Ownership rule: the demo
# removes either only if the demo created it and nothing else uses it any more (no port left on the bridge,
# no systemd-nspawn process left); otherwise it stays for the lab that uses it.
set -euo pipefail
export LAB=${KUBEXMS_DEMO_LAB:-/var/tmp/kubexms-demo}
. "$(dirname "$0")/../hosts/lib/common.sh"
. "$HERE/lib/rootfs.sh"
. "$HERE/lib/network.sh"
. "$HERE/lib/host.sh"
. "$HERE/lib/inventory.sh"
MAX_HOSTS=23
DEMO_HOSTS="21 22 23"
MODE=bridge

# one line on stderr, exit 3: what is missing and how to get it
refuse() { printf '%s\n' "$*" >&2; exit 3; }

check() {
  [ "$(id -u)" = 0 ] || refuse "the demo needs root (systemd-nspawn, overlay mounts, a bridge): run it as root, e.g. sudo npm run demo"
  command -v systemd-nspawn >/dev/null || refuse "systemd-nspawn is missing: apt-get install systemd-container"
  systemd-nspawn --version >/dev/null 2>&1 || refuse "systemd-nspawn cannot run here (systemd-nspawn --version fails): install a working systemd-container"
  command -v ip >/dev/null || refuse "the ip command is missing: apt-get install iproute2"
  findmnt -rn -t cgroup,cgroup2 >/dev/null || refuse "no cgroup filesystem is mounted under /sys/fs/cgroup: systemd-nspawn needs one (a VM or a privileged container with cgroups)"
  local cg ok=""
  for cg in $(cg_dirs "kxdemo-probe-$$"); do mkdir "$cg" 2>/dev/null && rmdir "$cg" && ok=1; done
  [ -n "$ok" ] || refuse "cannot create a cgroup under /sys/fs/cgroup (read-only?): systemd-nspawn needs writable cgroups (a VM or a privileged container)"
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip -4 -o addr show dev "$BRIDGE" | grep -q " inet $SUBNET.1/24 " ||
      refuse "$BRIDGE exists but does not carry $SUBNET.1/24: remove it (ip link del $BRIDGE) or stop what made it"
  elif subnet_in_use; then
    refuse "$SUBNET.0/24 (the sandbox's address range) is already in use on this machine (ip -4 addr / ip route): free it, or run the demo on another machine"
  fi
  for i in $DEMO_HOSTS; do
    if ip link show "$BRIDGE" >/dev/null 2>&1; then continue; fi
    ip -4 -o addr show | grep -q " inet $(ip_of "$i")/" && refuse "$(ip_of "$i") is already an address of this machine: free it"
  done
  true
}

up() {
  with_lock; prepare
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then touch "$LAB/bridge-created"; fi
  mountpoint -q /run/systemd/nspawn || touch "$LAB/nspawn-tmpfs-created"
  lab_up "$(tr ' ' , <<<"$DEMO_HOSTS"),"
}

down() {
  with_lock
  local i idx; idx=$(known_indices)
  # shellcheck disable=SC2086
  [ -z "$idx" ] || stop_hosts $idx
  [ "${KEEP:-0}" = 1 ] || rm -rf "$LAB/hosts" "$LAB/hosts.json" "$LAB/known_hosts" "$LAB/mode"
  if [ -f "$LAB/bridge-created" ] && ip link show "$BRIDGE" >/dev/null 2>&1; then
    if [ -z "$(ip -o link show master "$BRIDGE")" ]; then ip link del "$BRIDGE"; rm -f "$LAB/bridge-created"
    else log "$BRIDGE still has other hosts attached: left in place for them"; fi
  else rm -f "$LAB/bridge-created"; fi
  if [ -f "$LAB/nspawn-tmpfs-created" ] && ! pgrep -x systemd-nspawn >/dev/null; then
    umount /run/systemd/nspawn 2>/dev/null || true
  fi
  rm -f "$LAB/nspawn-tmpfs-created" "$LAB/nspawn-tmpfs"
  for i in $idx; do if mountpoint -q "$(host_dir "$i")/merged" 2>/dev/null; then die "n$i: overlay still mounted"; fi; done
  log "sandbox down"
}

demo_index() {
  check_index "${1:-}"
  [[ " $DEMO_HOSTS " == *" $1 "* ]] || die "host index must be one of: $DEMO_HOSTS"
}

cmd=${1:-}; shift || true
case $cmd in
  check) check ;;
  up) check; up ;;
  down) down ;;
  status) lab_status ;;
  cut|heal) demo_index "${1:-}"; ip link set "vb-n$1" "$([ "$cmd" = cut ] && echo down || echo up)" ;;
  crash) demo_index "${1:-}"; c=$(init_pid "$1") || die "n$1 is not running"; kill -KILL "$c"
    p=$(nspawn_pid "$1") && while kill -0 "$p" 2>/dev/null; do sleep 0.1; done ;;
  restart) demo_index "${1:-}"; with_lock; prepare; stop_host "$1"; lab_up "$1," ;;
  stop-sshd) demo_index "${1:-}"; host_exec "$1" 'systemctl stop ssh.service; pkill -TERM -x sshd; true' ;;
  start-sshd) demo_index "${1:-}"; host_exec "$1" 'systemctl start ssh.service' ;;
  *) sed -n '4,5p' "$0" >&2; exit 2 ;;
esac
