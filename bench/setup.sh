#!/usr/bin/env bash
# Debian packages the benchmarks need (as root): sshd for light hosts, the Ansible (plain and Mitogen) and pssh baselines,
# Chromium for the live view.
set -euo pipefail
missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ansible-playbook >/dev/null || missing+=(ansible)
[ -d /usr/lib/python3/dist-packages/ansible_mitogen ] || missing+=(ansible-mitogen)
command -v parallel-ssh >/dev/null || missing+=(pssh)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
echo "bench prerequisites present"
