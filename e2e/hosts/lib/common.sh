# sourced by lab.sh: configuration and small helpers shared by every command
LAB=${LAB:-/var/tmp/kubexms-lab}
CACHE=${KUBEXMS_LAB_CACHE:-/var/cache/kubexms-lab}
SUBNET=198.51.100
BRIDGE=br-kxlab
MAX_HOSTS=40
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RECIPE_HASH=$(sha256sum "$HERE/lib/rootfs.sh" | cut -c1-12)
ROOTFS=$LAB/rootfs-$RECIPE_HASH
LAB_ID=$(printf %s "$LAB" | sha256sum | cut -c1-6)   # names this lab's cgroups apart from another LAB's
KEY=$LAB/id_ed25519
KEY_PP=$LAB/id_ed25519_pp
KEY_PASSPHRASE=kxlab-key-passphrase

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

lab_mode() { cat "$LAB/mode" 2>/dev/null || echo "${MODE:-bridge}"; }
ip_of() { if [ "$(lab_mode)" = loopback ]; then echo "127.0.0.$((10 + $1))"; else echo "$SUBNET.$((10 + $1))"; fi; }
host_dir() { echo "$LAB/hosts/n$1"; }

check_index() {
  [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le $MAX_HOSTS ] || die "host index must be 1..$MAX_HOSTS, got '$1'"
}

# "3" -> 1 2 3 ; "4,5,6" -> 4 5 6
parse_indices() {
  local spec=${1:-3} i
  if [[ $spec == *,* ]]; then tr , '\n' <<<"$spec"; elif [ -z "$spec" ]; then seq 1 3; else seq 1 "$spec"; fi |
    while read -r i; do if [ -n "$i" ]; then check_index "$i"; echo "$i"; fi; done
}

# PID of the host's systemd-nspawn, only if that PID still is our nspawn (PIDs get reused)
nspawn_pid() {
  local p
  p=$(cat "$(host_dir "$1")/nspawn.pid" 2>/dev/null) || return 1
  [ -n "$p" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = systemd-nspawn ] && echo "$p"
}

# PID (on this machine) of the container's PID 1
init_pid() {
  local p c
  p=$(nspawn_pid "$1") || return 1
  c=$(pgrep -P "$p" | head -1) && [ -n "$c" ] && echo "$c"
}

host_running() { init_pid "$1" >/dev/null; }

with_lock() {
  mkdir -p "$LAB"
  exec 9>"$LAB/.lock"
  flock -w 600 9 || die "could not take $LAB/.lock"
}

# cg_dirs NAME: for every mounted cgroup hierarchy (v1 and v2), the child cgroup NAME under our own cgroup
_cg_sorted() { tr , '\n' | sort | paste -sd, ; }
cg_dirs() {
  local name=$1 target fstype opts want rel id ctl path
  while read -r target fstype opts; do
    rel=""
    if [ "$fstype" = cgroup2 ]; then
      rel=$(awk -F: '$1=="0"{print $3}' /proc/self/cgroup)
    else
      want=$(tr , '\n' <<<"$opts" | grep -vxE 'rw|ro|relatime|noatime|nosuid|nodev|noexec|xattr|clone_children|release_agent=.*' | _cg_sorted)
      while IFS=: read -r id ctl path; do
        [ "$id" != 0 ] && [ "$(_cg_sorted <<<"$ctl")" = "$want" ] && { rel=$path; break; }
      done </proc/self/cgroup
    fi
    [ -n "$rel" ] && echo "$target${rel%/}/$name"
  done < <(findmnt -rn -t cgroup,cgroup2 -o TARGET,FSTYPE,OPTIONS)
}

lab_ssh() {
  ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -i "$KEY" -o StrictHostKeyChecking=yes \
    -o UserKnownHostsFile="$LAB/known_hosts" -o ConnectTimeout=2 -o LogLevel=ERROR "$@"
}
