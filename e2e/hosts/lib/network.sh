# sourced by lab.sh: the lab bridge (bridge mode) and its guards
BRIDGE_OWNER=/run/kubexms-lab-bridge.owner

subnet_in_use() {
  ip -4 -o addr show | grep -q " inet $SUBNET\." && return 0
  ip -4 -o route show table all match "$SUBNET.0/24" | grep -v '^default ' | grep -q . && return 0
  ip -4 -o route show table all root "$SUBNET.0/24" | grep -q .
}

ensure_network() {
  [ "$(lab_mode)" = bridge ] || return 0
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    subnet_in_use && die "$SUBNET.0/24 is already in use on this machine (address or route); refusing to create $BRIDGE"
    ip link add "$BRIDGE" type bridge
    ip addr add "$SUBNET.1/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    echo "$LAB" >"$BRIDGE_OWNER"
  fi
  ip -4 -o addr show dev "$BRIDGE" | grep -q " inet $SUBNET.1/24 " || die "$BRIDGE exists but does not carry $SUBNET.1/24"
  [ "$(cat "$BRIDGE_OWNER" 2>/dev/null)" = "$LAB" ] || die "$BRIDGE belongs to the lab in $(cat "$BRIDGE_OWNER" 2>/dev/null || echo '?'); one bridge lab per machine"
  # a bridge deleted and made again leaves running hosts' veths detached: attach them again
  local i
  for i in $(known_indices); do
    if host_running "$i" && ! ip -o link show "vb-n$i" 2>/dev/null | grep -q " master $BRIDGE "; then
      ip link set "vb-n$i" master "$BRIDGE" 2>/dev/null && log "n$i: attached vb-n$i to $BRIDGE again"
    fi
  done
  return 0
}

# never send anything to a lab address unless it routes to the lab bridge
check_route() {
  [ "$(lab_mode)" = bridge ] || return 0
  ip -o route get "$(ip_of "$1")" | grep -q " dev $BRIDGE " || die "$(ip_of "$1") does not route via $BRIDGE; refusing to talk to it"
}

remove_network() {
  [ "$(cat "$BRIDGE_OWNER" 2>/dev/null)" = "$LAB" ] || return 0
  if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link del "$BRIDGE"; fi
  rm -f "$BRIDGE_OWNER"
}

# nspawn keeps lock/propagation dirs under /run/systemd/nspawn and refuses to clean them unless it is a tmpfs (/run is ext4 here)
ensure_nspawn_tmpfs() {
  mountpoint -q /run/systemd/nspawn && return 0
  mkdir -p /run/systemd/nspawn
  mount -t tmpfs -o mode=0755 tmpfs /run/systemd/nspawn
  touch "$LAB/nspawn-tmpfs"
}

remove_nspawn_tmpfs() {
  [ -f "$LAB/nspawn-tmpfs" ] || return 0
  rm -f "$LAB/nspawn-tmpfs"
  pgrep -x systemd-nspawn >/dev/null && return 0   # another lab still uses it
  umount /run/systemd/nspawn 2>/dev/null || true
}
