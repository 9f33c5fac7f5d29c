#!/bin/bash
# The demo's sandbox hosts: hosts n21..n23 (198.51.100.31..33) of the test-host lab, through the lab's own functions
# (e2e/hosts/lib), beyond the indices the test suite uses (1..12), so the demo and the tests run side by side.
# Usage: sandbox.sh check | up | down | status | cut I | heal I | crash I | restart I | stop-sshd I | start-sshd I
# env: LAB (/var/tmp/kubexms-lab, the lab's state dir: one bridge lab per machine), KEEP=1 (down keeps the host dirs)
# Ownership: the demo stops and removes only its own hosts. The bridge br-kxlab and the tmpfs on /run/systemd/nspawn
# belong to the lab: the demo removes them only when no lab host runs any more (the lab's own rule for `down`).
set -euo pipefail
export LAB=${LAB:-/var/tmp/kubexms-lab}
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
    [ "$(cat "$BRIDGE_OWNER" 2>/dev/null)" = "$LAB" ] ||
      refuse "$BRIDGE belongs to the lab in $(cat "$BRIDGE_OWNER" 2>/dev/null || echo '?'): run the demo with LAB=<that dir>, or stop that lab first"
  elif subnet_in_use; then
    refuse "$SUBNET.0/24 (the sandbox's address range) is already in use on this machine (see ip -4 addr; ip route): free it, or run the demo on another machine"
  fi
  local running=""
  for i in $(known_indices); do host_running "$i" && running=1; done
  [ -z "$running" ] || [ "$(lab_mode)" = bridge ] ||
    refuse "the lab in $LAB runs in $(lab_mode) mode and the sandbox needs bridge mode: bash e2e/hosts/lab.sh down, then npm run demo"
  true
}

up() {
  with_lock; prepare
  lab_up "$(tr ' ' , <<<"$DEMO_HOSTS"),"
}

others_running() {
  local i
  for i in $(known_indices); do [[ " $DEMO_HOSTS " == *" $i "* ]] || ! host_running "$i" || return 0; done
  return 1
}

down() {
  with_lock
  local i
  # shellcheck disable=SC2086
  stop_hosts $DEMO_HOSTS
  if [ "${KEEP:-0}" != 1 ]; then for i in $DEMO_HOSTS; do rm -rf "$(host_dir "$i")"; done; fi
  write_inventory
  if ! others_running; then remove_network; remove_nspawn_tmpfs; fi
  for i in $DEMO_HOSTS; do if mountpoint -q "$(host_dir "$i")/merged" 2>/dev/null; then die "n$i: overlay still mounted"; fi; done
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
