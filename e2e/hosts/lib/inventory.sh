# sourced by lab.sh: hosts.json (for the TypeScript fixture) and known_hosts (for the lab's own ssh) in $LAB,
# assembled from per-host parts that are rewritten only when a host's keys change (the machine is often busy)

fingerprint() { ssh-keygen -lf "$1" | awk '{print $2}'; }

host_inventory() {
  local i=$1 d m ip t sep=""
  d=$(host_dir "$i"); m=$d/merged; ip=$(ip_of "$i")
  {
    printf '    {"name": "n%s", "index": %s, "address": "%s", "port": 22,\n' "$i" "$i" "$ip"
    printf '     "hostKeyFingerprint": "%s",\n     "fingerprints": {' "$(fingerprint "$m/etc/ssh/ssh_host_ed25519_key.pub")"
    for t in ed25519 ecdsa rsa; do
      printf '%s"%s": "%s"' "$sep" "$t" "$(fingerprint "$m/etc/ssh/ssh_host_${t}_key.pub")"; sep=", "
    done
    printf '},\n     "users": {"root": {"username": "root"}, "kxuser": {"username": "kxuser", "password": "%s"}, "kxnopw": {"username": "kxnopw"}}}' \
      "$KXUSER_PASSWORD"
  } >"$d/inventory.json"
  for t in ed25519 ecdsa rsa; do echo "$ip $(cut -d' ' -f1,2 "$m/etc/ssh/ssh_host_${t}_key.pub")"; done >"$d/known_hosts"
}

# its own short lock: host-level commands (regen-hostkey) rewrite it without the lab lock
write_inventory() {
  mkdir -p "$LAB"
  ( flock -w 60 8 || die "could not take $LAB/.inventory.lock"; _write_inventory ) 8>"$LAB/.inventory.lock"
}

_write_inventory() {
  local i d sep=""
  {
    printf '{\n  "mode": "%s",\n  "bridge": "%s",\n  "key": "%s",\n' "$(lab_mode)" "$BRIDGE" "$KEY"
    printf '  "passphraseKey": {"path": "%s", "passphrase": "%s"},\n  "hosts": [\n' "$KEY_PP" "$KEY_PASSPHRASE"
    for i in $(known_indices); do
      d=$(host_dir "$i")
      [ -f "$d/inventory.json" ] || [ ! -f "$d/merged/etc/ssh/ssh_host_rsa_key.pub" ] || host_inventory "$i"
      [ -f "$d/inventory.json" ] || continue
      printf '%s' "$sep"; cat "$d/inventory.json"; sep=$',\n'
    done
    printf '\n  ]\n}\n'
  } >"$LAB/.hosts.json.tmp"
  for i in $(known_indices); do cat "$(host_dir "$i")/known_hosts" 2>/dev/null || true; done >"$LAB/.known_hosts.tmp"
  mv "$LAB/.hosts.json.tmp" "$LAB/hosts.json"
  mv "$LAB/.known_hosts.tmp" "$LAB/known_hosts"
}
