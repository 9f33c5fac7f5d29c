# sourced by lab.sh: hosts.json (for the TypeScript fixture) and known_hosts (for the lab's own ssh) in $LAB

fingerprint() { ssh-keygen -lf "$1" | awk '{print $2}'; }

json_host() {
  local i=$1 m ip running=false t sep=""
  m=$(host_dir "$i")/merged; ip=$(ip_of "$i")
  host_running "$i" && running=true
  printf '    {"name": "n%s", "index": %s, "address": "%s", "port": 22, "running": %s,\n' "$i" "$i" "$ip" "$running"
  printf '     "hostKeyFingerprint": "%s",\n     "fingerprints": {' "$(fingerprint "$m/etc/ssh/ssh_host_ed25519_key.pub")"
  for t in ed25519 ecdsa rsa; do
    printf '%s"%s": "%s"' "$sep" "$t" "$(fingerprint "$m/etc/ssh/ssh_host_${t}_key.pub")"; sep=", "
  done
  printf '},\n     "users": {"root": {"username": "root"}, "kxuser": {"username": "kxuser", "password": "%s"}, "kxnopw": {"username": "kxnopw"}}}' \
    "$KXUSER_PASSWORD"
}

write_inventory() {
  local i sep="" kh
  kh=$(mktemp "$LAB/.known_hosts.XXXXXX")
  {
    printf '{\n  "mode": "%s",\n  "bridge": "%s",\n  "key": "%s",\n' "$(lab_mode)" "$BRIDGE" "$KEY"
    printf '  "passphraseKey": {"path": "%s", "passphrase": "%s"},\n  "hosts": [\n' "$KEY_PP" "$KEY_PASSPHRASE"
    for i in $(known_indices); do
      [ -f "$(host_dir "$i")/merged/etc/ssh/ssh_host_ed25519_key.pub" ] || continue
      printf '%s' "$sep"; json_host "$i"; sep=$',\n'
      for t in ed25519 ecdsa rsa; do
        echo "$(ip_of "$i") $(cut -d' ' -f1,2 "$(host_dir "$i")/merged/etc/ssh/ssh_host_${t}_key.pub")" >>"$kh"
      done
    done
    printf '\n  ]\n}\n'
  } >"$LAB/hosts.json.tmp"
  mv "$LAB/hosts.json.tmp" "$LAB/hosts.json"
  chmod 644 "$kh"; mv "$kh" "$LAB/known_hosts"
}
