#!/bin/bash
# The SSH test-host lab: systemd-nspawn "hosts" booted from a cached Debian bookworm rootfs.
# Usage: lab.sh prepare | up [N|i,j,..] | down | status | restart I | cut I | heal I | crash I
#        | stop-sshd I | start-sshd I | regen-hostkey I | restore-hostkey I | exec I CMD
# env: LAB (/var/tmp/kubexms-lab), KUBEXMS_LAB_CACHE (/var/cache/kubexms-lab), MODE (bridge|loopback), KEEP=1 (down keeps host dirs)
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$HERE/lib/rootfs.sh"
. "$HERE/lib/network.sh"
. "$HERE/lib/host.sh"
. "$HERE/lib/inventory.sh"

[ "$(id -u)" = 0 ] || die "the lab needs root (systemd-nspawn, mounts, bridge)"
cmd=${1:-}; shift || true
case $cmd in
  prepare) with_lock; prepare ;;
  up) if all_running "${1:-3}"; then wait_hosts $(parse_indices "${1:-3}"); else with_lock; prepare; lab_up "${1:-3}"; fi ;;
  down) with_lock; lab_down ;;
  status) lab_status ;;
  restart) check_index "${1:-}"; with_lock; prepare; stop_host "$1"; lab_up "$1," ;;
  cut|heal) check_index "${1:-}"; [ "$(lab_mode)" = bridge ] || die "$cmd needs bridge mode"
    ip link set "vb-n$1" "$([ "$cmd" = cut ] && echo down || echo up)" ;;
  crash) check_index "${1:-}"; c=$(init_pid "$1") || die "n$1 is not running"; kill -KILL "$c"
    p=$(nspawn_pid "$1") && while kill -0 "$p" 2>/dev/null; do sleep 0.1; done ;;
  stop-sshd) check_index "${1:-}"; host_exec "$1" 'systemctl stop ssh.service; pkill -TERM -x sshd; true' ;;
  start-sshd) check_index "${1:-}"; host_exec "$1" 'systemctl start ssh.service' ;;
  regen-hostkey) check_index "${1:-}"; regen_hostkey "$1"; write_inventory ;;
  restore-hostkey) check_index "${1:-}"; restore_hostkey "$1"; write_inventory ;;
  exec) check_index "${1:-}"; i=$1; shift; host_exec "$i" "$*" ;;
  *) sed -n '3,5p' "$0" >&2; exit 2 ;;
esac
