#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian 12 machine (run as root):
# apt packages (browser, SSH client, the test-host lab's tools), npm dependencies, and the lab's cached rootfs.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "setup:test must run as root (it installs apt packages and boots systemd-nspawn test hosts)" >&2; exit 1; }
PKGS=(chromium fonts-dejavu-core openssh-client openssh-server debootstrap systemd-container zstd iproute2 procps curl ca-certificates)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
bash e2e/hosts/lab.sh prepare          # Debian rootfs for the nspawn test hosts (cached under /var/cache/kubexms-lab)
bash e2e/mirror/build.sh >/dev/null    # artifact mirror built from Debian packages (cached under /var/cache/kubexms-mirror)
echo "test environment ready"
