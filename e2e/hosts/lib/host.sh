# sourced by lab.sh: one host's life cycle (start, wait, stop) and commands inside it

ensure_keys() {
  [ -f "$KEY" ] || ssh-keygen -q -t ed25519 -N '' -C kubexms-lab -f "$KEY"
  [ -f "$KEY_PP" ] || ssh-keygen -q -t ed25519 -N "$KEY_PASSPHRASE" -C kubexms-lab-passphrase -f "$KEY_PP"
}

write_host_files() {
  local i=$1 m=$2 ip u home j
  ip=$(ip_of "$i")
  echo "n$i" >"$m/etc/hostname"
  { printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n'
    for j in $(seq 1 $MAX_HOSTS); do echo "$(ip_of "$j") n$j"; done; } >"$m/etc/hosts"
  [ -s "$m/etc/machine-id" ] || systemd-id128 new >"$m/etc/machine-id"
  ls "$m"/etc/ssh/ssh_host_*_key >/dev/null 2>&1 || ssh-keygen -q -A -f "$m" >/dev/null
  host_inventory "$i"
  for u in root kxuser kxnopw; do
    home=/home/$u; [ $u = root ] && home=/root
    install -d -m 700 "$m$home/.ssh"
    cat "$KEY.pub" "$KEY_PP.pub" >"$m$home/.ssh/authorized_keys"; chmod 600 "$m$home/.ssh/authorized_keys"
    chroot "$m" chown -R "$u:" "$home/.ssh"
  done
  rm -f "$m/etc/ssh/sshd_config.d/20-listen.conf" "$m/etc/systemd/network/10-host0.network"
  if [ "$(lab_mode)" = loopback ]; then
    echo "ListenAddress $ip" >"$m/etc/ssh/sshd_config.d/20-listen.conf"
  else
    mkdir -p "$m/etc/systemd/network"
    printf '[Match]\nName=host0\n[Network]\nAddress=%s/24\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n' "$ip" \
      >"$m/etc/systemd/network/10-host0.network"
    echo "# lab host: no DNS, no default route; names come from /etc/hosts" >"$m/etc/resolv.conf"
  fi
}

remove_cgroups() {
  local d cg; d=$(host_dir "$1")
  [ -f "$d/cgroups" ] || return 0
  while read -r cg; do [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null; done <"$d/cgroups"
  rm -f "$d/cgroups"
}

# a fresh host (new upper) when its overlay was made on an older rootfs
retire_stale_host() {
  local d; d=$(host_dir "$1")
  [ -f "$d/rootfs" ] && [ "$(cat "$d/rootfs")" != "$ROOTFS" ] || return 0
  log "n$1 was made from an older rootfs: starting it fresh"
  if mountpoint -q "$d/merged"; then umount "$d/merged"; fi
  remove_cgroups "$1"; rm -rf "$d"
}

start_host() {
  local i=$1 d m cg wrap="" net=()
  d=$(host_dir "$i"); m=$d/merged
  if nspawn_pid "$i" >/dev/null; then log "n$i already running"; return 0; fi
  retire_stale_host "$i"
  mkdir -p "$d/upper" "$d/work" "$m"; echo "$ROOTFS" >"$d/rootfs"
  mountpoint -q "$m" || mount -t overlay overlay -o "lowerdir=$ROOTFS,upperdir=$d/upper,workdir=$d/work" "$m"
  write_host_files "$i" "$m"
  [ "$(lab_mode)" = bridge ] && net=(--network-bridge="$BRIDGE" --resolv-conf=off)
  if [ -n "${MEM_KB:-}" ]; then
    mkdir -p "$m/etc/lab"
    awk -v t="$MEM_KB" '/^MemTotal:/{printf "MemTotal:       %d kB\n", t; next}
      /^MemFree:/{printf "MemFree:        %d kB\n", t*0.9; next} /^MemAvailable:/{printf "MemAvailable:   %d kB\n", t*0.9; next} {print}' \
      /proc/meminfo >"$m/etc/lab/meminfo"
    net+=(--bind-ro=/etc/lab/meminfo:/proc/meminfo)   # nspawn resolves a bind source onto /proc/* INSIDE the container
  fi
  # own cgroup per host in every hierarchy: otherwise all hosts' systemds share one /payload tree
  : >"$d/cgroups"
  for cg in $(cg_dirs "kxlab-$LAB_ID-n$i"); do
    mkdir -p "$cg" 2>/dev/null || continue
    case $cg in */cpuset/*) cat "$(dirname "$cg")/cpuset.cpus" >"$cg/cpuset.cpus"; cat "$(dirname "$cg")/cpuset.mems" >"$cg/cpuset.mems" ;; esac
    echo "$cg" >>"$d/cgroups"; wrap+="echo \$\$ > $cg/cgroup.procs; "
  done
  # --register=no --keep-unit: this machine's PID 1 is not systemd and there is no system D-Bus
  # @keyring: runc needs session keyrings; 9>&- so the container does not hold the lab lock
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin setsid bash -c "$wrap exec systemd-nspawn --quiet --boot -D '$m' --machine=n$i --register=no --keep-unit \
    --link-journal=no --console=read-only --system-call-filter=@keyring ${net[*]}" \
    >"$d/console.log" 2>&1 </dev/null 9>&- &
  echo $! >"$d/nspawn.pid"
}

# until systemd inside has finished booting and sshd answers (bounded: 60 s)
wait_host() {
  local i=$1 ip st="" t
  ip=$(ip_of "$i")
  for t in $(seq 1 120); do
    nspawn_pid "$i" >/dev/null || { log "n$i: nspawn exited, see $(host_dir "$i")/console.log"; return 1; }
    st=$(lab_ssh -o ConnectTimeout=1 "root@$ip" 'systemctl is-system-running --wait' 2>/dev/null) && break
    [ -n "$st" ] && break
    sleep 0.5
  done
  [ -n "$st" ] || { log "n$i $ip: sshd did not answer within 60 s"; return 1; }
  [ "$st" = running ] || log "n$i: systemd is $st: $(lab_ssh "root@$ip" 'systemctl --failed --no-legend --plain' | awk '{print $1}' | paste -sd' ')"
  cgroups_rw "$i"
  log "n$i $ip: $st"
}

# nspawn mounts the v1 controllers read-only; containerd/runc inside need them writable (the cgroup namespace keeps writes below our kxlab-nI)
cgroups_rw() {
  local c mnt
  c=$(init_pid "$1") || return 1
  for mnt in $(awk '$(NF-2)=="cgroup"{print $5}' "/proc/$c/mountinfo"); do
    nsenter -t "$c" -m mount -o remount,bind,rw "$mnt"
  done
}

stop_hosts() {
  local i p c t alive pids=()
  for i in "$@"; do p=$(nspawn_pid "$i") && { kill -TERM "$p"; pids+=("$i:$p"); }; done
  for t in $(seq 1 150); do
    alive=0; for p in "${pids[@]}"; do kill -0 "${p#*:}" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.1
  done
  for p in "${pids[@]}"; do
    kill -0 "${p#*:}" 2>/dev/null || continue
    c=$(init_pid "${p%%:*}") && { log "forcing n${p%%:*}"; kill -KILL "$c"; }
    for t in $(seq 1 50); do kill -0 "${p#*:}" 2>/dev/null || break; sleep 0.1; done
  done
  for i in "$@"; do
    rm -f "$(host_dir "$i")/nspawn.pid"
    if mountpoint -q "$(host_dir "$i")/merged"; then umount "$(host_dir "$i")/merged"; fi
    remove_cgroups "$i"
  done
}
stop_host() { stop_hosts "$1"; }

host_exec() {
  local c
  c=$(init_pid "$1") || die "n$1 is not running"
  nsenter -t "$c" -a -r -w env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    /bin/sh -c "$2"
}

# the first regen keeps the original keys in hostkeys.orig, so restore-hostkey can put them back
regen_hostkey() {
  local d m; d=$(host_dir "$1"); m=$d/merged
  host_running "$1" || die "n$1 is not running"
  [ -d "$d/hostkeys.orig" ] || { mkdir -p "$d/hostkeys.orig"; cp -a "$m"/etc/ssh/ssh_host_* "$d/hostkeys.orig/"; }
  rm -f "$m"/etc/ssh/ssh_host_*
  ssh-keygen -q -A -f "$m" >/dev/null
  host_inventory "$1"
  host_exec "$1" 'systemctl restart ssh.service'
}

restore_hostkey() {
  local d m; d=$(host_dir "$1"); m=$d/merged
  [ -d "$d/hostkeys.orig" ] || return 0
  host_running "$1" || die "n$1 is not running"
  rm -f "$m"/etc/ssh/ssh_host_*
  cp -a "$d/hostkeys.orig/." "$m/etc/ssh/"
  rm -rf "$d/hostkeys.orig"
  host_inventory "$1"
  host_exec "$1" 'systemctl restart ssh.service'
}

known_indices() {
  local d
  for d in "$LAB"/hosts/n*/; do [ -d "$d" ] && basename "$d" | tr -d n; done | sort -n
}

lab_up() {
  local idx i rc=0 running=""
  idx=$(parse_indices "$1")
  for i in $(known_indices); do host_running "$i" && running=1; done
  if [ -n "$running" ]; then
    [ -z "${MODE:-}" ] || [ "$MODE" = "$(lab_mode)" ] || die "the lab runs in $(lab_mode) mode; 'down' it before switching to $MODE"
  else
    echo "${MODE:-bridge}" >"$LAB/mode"
  fi
  case $(lab_mode) in bridge|loopback) ;; *) die "MODE must be bridge or loopback" ;; esac
  prune_rootfs
  # each host's systemd holds inotify instances from root's per-user limit (128 by default): a few dozen hosts exhaust it
  [ "$(cat /proc/sys/fs/inotify/max_user_instances)" -ge 1024 ] || sysctl -qw fs.inotify.max_user_instances=1024
  ensure_keys; ensure_nspawn_tmpfs; ensure_network
  for i in $idx; do check_route "$i"; done
  for i in $idx; do start_host "$i"; done
  write_inventory
  flock -u 9   # waiting is read-only: let other callers start their hosts meanwhile
  wait_hosts $idx || rc=1
  flock -w 600 9 && write_inventory
  return $rc
}

wait_hosts() {
  local i rc=0 pids=()
  for i in "$@"; do wait_host "$i" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i" || rc=1; done
  return $rc
}

# fast path for `up` without the lock: every wanted host is already running
all_running() {
  local i
  [ -f "$LAB/hosts.json" ] || return 1
  for i in $(parse_indices "$1"); do host_running "$i" || return 1; done
}

prune_rootfs() {
  local r d used
  for r in "$LAB"/rootfs-*; do
    [ -d "$r" ] && [ "$r" != "$ROOTFS" ] && [ "${r%.tmp}" = "$r" ] || continue
    used=""; for d in "$LAB"/hosts/n*/rootfs; do [ -f "$d" ] && [ "$(cat "$d")" = "$r" ] && used=1; done
    [ -n "$used" ] || { log "removing old rootfs $r"; rm -rf "$r" "$r.ready"; }
  done
}

lab_down() {
  local i idx
  idx=$(known_indices)
  # shellcheck disable=SC2086
  [ -z "$idx" ] || stop_hosts $idx
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$LAB/hosts" "$LAB/hosts.json" "$LAB/known_hosts" "$LAB/mode"; fi
  remove_network
  remove_nspawn_tmpfs
  log "lab down"
}

lab_status() {
  local i ip st
  printf '%-4s %-16s %-9s %s\n' host address state sshd
  for i in $(known_indices); do
    ip=$(ip_of "$i"); st=stopped; host_running "$i" && st=running
    local ssh=-
    if [ $st = running ]; then
      ssh=closed
      if [ "$(lab_mode)" = loopback ] || ip -o route get "$ip" | grep -q " dev $BRIDGE "; then
        timeout 1 bash -c "exec 3<>/dev/tcp/$ip/22" 2>/dev/null && ssh=open
      fi
    fi
    printf '%-4s %-16s %-9s %s\n' "n$i" "$ip" "$st" "$ssh"
  done
}
