#!/usr/bin/env bash
# Builds the test artifact mirror from Debian packages, laid out like the official releases:
#   <dir>/<component>/v<version>/<arch>/<official file name>  and  <dir>/SHA256SUMS (sha256sum format, relative paths).
# Cached under $KUBEXMS_MIRROR_CACHE (default /var/cache/kubexms-mirror), keyed by the package versions.
# Usage: bash e2e/mirror/build.sh [DIR]   (DIR: copy the mirror there). Prints the mirror directory as the last line.
set -euo pipefail

CACHE=${KUBEXMS_MIRROR_CACHE:-/var/cache/kubexms-mirror}
PKGS=(etcd-server etcd-client containerd runc containernetworking-plugins haproxy chrony)
ARCH=$(dpkg --print-architecture)

upstream() { sed -E 's/^[0-9]+://; s/[-~+].*$//' <<<"$1"; }
declare -A VER
candidates() { # one apt-cache call for every package
  VER=()
  local pkg="" line
  while IFS= read -r line; do
    if [[ $line =~ ^([a-z0-9.+-]+):$ ]]; then pkg=${BASH_REMATCH[1]}
    elif [[ $line =~ ^\ +Candidate:\ (.+)$ && -n $pkg ]]; then VER[$pkg]=${BASH_REMATCH[1]}
    fi
  done < <(apt-cache policy "${PKGS[@]}" 2>/dev/null)
}
missing() { local p; for p in "${PKGS[@]}"; do [[ -z ${VER[$p]:-} || ${VER[$p]} == "(none)" ]] && return 0; done; return 1; }

candidates
if missing; then apt-get update -qq >&2; candidates; fi
lines=""
for p in "${PKGS[@]}"; do
  if [[ -z ${VER[$p]:-} || ${VER[$p]} == "(none)" ]]; then echo "build.sh: no Debian candidate for $p" >&2; exit 1; fi
  lines+="$p=${VER[$p]}"$'\n'
done
key=$(printf '%s%s' "$ARCH" "$lines" | sha256sum | cut -c1-16)
out="$CACHE/$key"

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

if [[ ! -f $out/SHA256SUMS ]]; then
  work=$(mktemp -d "$CACHE/.build-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  chmod 755 "$work"
  mkdir -p "$work/debs" "$work/root" "$work/mirror"
  (cd "$work/debs" && apt-get download -q -o APT::Sandbox::User=root "${PKGS[@]/%/:$ARCH}" >&2)
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done

  pack() { # pack <out.tar.gz> <dir> <members...>: deterministic tarball
    local dest=$1 dir=$2; shift 2
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir" -cf - "$@" | gzip -n -9 >"$dest"
  }
  R=$work/root M=$work/mirror

  ev=$(upstream "${VER[etcd-server]}")
  d=$M/etcd/v$ev/$ARCH; mkdir -p "$d" "$work/etcd/etcd-v$ev-linux-$ARCH"
  install -m 0755 "$R/usr/bin/etcd" "$R/usr/bin/etcdctl" "$work/etcd/etcd-v$ev-linux-$ARCH/"
  pack "$d/etcd-v$ev-linux-$ARCH.tar.gz" "$work/etcd" "etcd-v$ev-linux-$ARCH"

  cv=$(upstream "${VER[containerd]}")
  d=$M/containerd/v$cv/$ARCH; mkdir -p "$d" "$work/containerd/bin"
  for b in containerd containerd-shim containerd-shim-runc-v1 containerd-shim-runc-v2 ctr; do
    if [[ -f $R/usr/bin/$b ]]; then install -m 0755 "$R/usr/bin/$b" "$work/containerd/bin/"; fi
  done
  pack "$d/containerd-$cv-linux-$ARCH.tar.gz" "$work/containerd" bin

  rv=$(upstream "${VER[runc]}")
  d=$M/runc/v$rv/$ARCH; mkdir -p "$d"
  install -m 0755 "$R/usr/sbin/runc" "$d/runc.$ARCH"

  nv=$(upstream "${VER[containernetworking-plugins]}")
  d=$M/cni-plugins/v$nv/$ARCH; mkdir -p "$d" "$work/cni"
  install -m 0755 "$R"/usr/lib/cni/* "$work/cni/"
  pack "$d/cni-plugins-linux-$ARCH-v$nv.tgz" "$work/cni" .

  hv=$(upstream "${VER[haproxy]}")
  d=$M/haproxy/v$hv/$ARCH; mkdir -p "$d"
  install -m 0755 "$R/usr/sbin/haproxy" "$d/haproxy-$hv-linux-$ARCH"

  # chrony ships as its .deb: the catalog installs it with dpkg on Debian hosts that have no chrony (system.ntpServers)
  yv=$(upstream "${VER[chrony]}")
  d=$M/chrony/v$yv/$ARCH; mkdir -p "$d"
  install -m 0644 "$work"/debs/chrony_*.deb "$d/chrony_${yv}_$ARCH.deb"

  (cd "$M" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum >"$work/SHA256SUMS" && mv "$work/SHA256SUMS" SHA256SUMS)
  printf '%s' "$lines" >"$M/PACKAGES"
  for b in "$R/usr/bin/etcd" "$R/usr/bin/etcdctl" "$R/usr/bin/containerd" "$R/usr/bin/containerd-shim-runc-v2" "$R/usr/bin/ctr" "$R/usr/sbin/runc" "$R/usr/lib/cni/bridge" "$R/usr/sbin/haproxy"; do
    echo "== ${b#"$R"}"; ldd "$b" 2>&1 || true
  done >"$M/LDD"
  rm -rf "$out"
  mv "$M" "$out"
fi

if [[ $# -ge 1 ]]; then
  mkdir -p "$1"
  cp -a "$out/." "$1/"
  echo "$1"
else
  echo "$out"
fi
