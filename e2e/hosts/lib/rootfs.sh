# sourced by lab.sh. The rootfs recipe: its sha256 keys the cache, so any edit here rebuilds the rootfs.
# Not included on purpose: etcd, containerd, runc (kubexms installs them from its artifact mirror);
# their shared libraries are (ldd of Debian's binaries: libc only, runc also libseccomp2; the mirror's haproxy also
# liblua5.3-0 and libopentracing-c-wrapper0, the rest of its libraries are already here).
ROOTFS_PKGS=systemd,systemd-sysv,dbus,openssh-server,iproute2,iputils-ping,procps,kmod,sudo,ca-certificates,curl,python3,\
iptables,conntrack,socat,ipset,ebtables,tar,gzip,libseccomp2,liblua5.3-0,libopentracing-c-wrapper0
KXUSER_PASSWORD=kxlab-Pass-1

build_rootfs() {
  local r=$1 mirror
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  debootstrap --variant=minbase --include="$ROOTFS_PKGS" bookworm "$r" "${mirror:-http://deb.debian.org/debian}" >&2
  rm -f "$r"/var/cache/apt/archives/*.deb; rm -rf "$r"/var/lib/apt/lists/*
  rm -f "$r"/etc/ssh/ssh_host_*       # per host, made by `up`
  : >"$r/etc/machine-id"             # per host, made by `up`
  customise_ssh "$r"
  customise_users "$r"
  customise_kmod "$r"
  for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer dpkg-db-backup.timer fstrim.timer; do
    ln -sf /dev/null "$r/etc/systemd/system/$u"
  done
  # bridge mode: host0 gets its address from networkd; in loopback mode networkd skips itself (no CAP_NET_ADMIN)
  chroot "$r" systemctl enable systemd-networkd.service >/dev/null 2>&1
}

customise_ssh() {
  local r=$1
  cat >"$r/etc/ssh/sshd_config.d/10-kxlab.conf" <<'EOC'
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
AllowTcpForwarding yes
EOC
  # a Match block in an included file would swallow the main file's later lines: append it at the very end
  printf '\nMatch User kxuser\n  PasswordAuthentication yes\n' >>"$r/etc/ssh/sshd_config"
  install -d -m 700 "$r/root/.ssh"; rm -f "$r/root/.ssh/authorized_keys"
}

customise_users() {
  local r=$1
  chroot "$r" useradd -m -s /bin/bash kxuser
  chroot "$r" useradd -m -s /bin/bash kxnopw
  echo "kxuser:$KXUSER_PASSWORD" | chroot "$r" chpasswd
  printf 'Defaults lecture=never\nkxuser ALL=(ALL:ALL) ALL\nkxnopw ALL=(ALL:ALL) NOPASSWD: ALL\n' >"$r/etc/sudoers.d/kxlab"
  chmod 440 "$r/etc/sudoers.d/kxlab"
}

# The kernel here has no module support: tell kmod which modules are built in, so `modprobe br_netfilter` succeeds as on a node.
customise_kmod() {
  local r=$1
  cat >"$r/usr/local/sbin/lab-modules-builtin" <<'EOC'
#!/bin/sh
[ -e /proc/modules ] && exit 0
KV=$(uname -r); D=/lib/modules/$KV; mkdir -p "$D"; : > "$D/modules.order"
CFG=$(zcat /proc/config.gz 2>/dev/null | awk -F= '$2=="y"{print $1}')
while read -r mod sym path; do
  [ -z "$CFG" ] || printf '%s\n' "$CFG" | grep -qx "$sym" || continue
  echo "kernel/$path/$mod.ko"
done > "$D/modules.builtin" <<'LIST'
overlay CONFIG_OVERLAY_FS fs/overlayfs
br_netfilter CONFIG_BRIDGE_NETFILTER net/bridge
bridge CONFIG_BRIDGE net/bridge
veth CONFIG_VETH drivers/net
vxlan CONFIG_VXLAN drivers/net/vxlan
nf_conntrack CONFIG_NF_CONNTRACK net/netfilter
nf_nat CONFIG_NF_NAT net/netfilter
nf_tables CONFIG_NF_TABLES net/netfilter
ip_tables CONFIG_IP_NF_IPTABLES net/ipv4/netfilter
iptable_filter CONFIG_IP_NF_FILTER net/ipv4/netfilter
iptable_nat CONFIG_IP_NF_NAT net/ipv4/netfilter
iptable_mangle CONFIG_IP_NF_MANGLE net/ipv4/netfilter
ip6_tables CONFIG_IP6_NF_IPTABLES net/ipv6/netfilter
xt_conntrack CONFIG_NETFILTER_XT_MATCH_CONNTRACK net/netfilter
xt_MASQUERADE CONFIG_NETFILTER_XT_TARGET_MASQUERADE net/netfilter
xt_comment CONFIG_NETFILTER_XT_MATCH_COMMENT net/netfilter
xt_set CONFIG_NETFILTER_XT_SET net/netfilter
ip_set CONFIG_IP_SET net/netfilter/ipset
ip_vs CONFIG_IP_VS net/netfilter/ipvs
ip_vs_rr CONFIG_IP_VS_RR net/netfilter/ipvs
ip_vs_wrr CONFIG_IP_VS_WRR net/netfilter/ipvs
ip_vs_sh CONFIG_IP_VS_SH net/netfilter/ipvs
LIST
depmod -a "$KV" 2>/dev/null
EOC
  chmod 755 "$r/usr/local/sbin/lab-modules-builtin"
  cat >"$r/etc/systemd/system/lab-modules-builtin.service" <<'EOC'
[Unit]
Description=Declare built-in kernel modules to kmod (lab, non-modular kernel)
DefaultDependencies=no
Before=systemd-modules-load.service sysinit.target
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/lab-modules-builtin
[Install]
WantedBy=sysinit.target
EOC
  ln -sf /etc/systemd/system/lab-modules-builtin.service "$r/etc/systemd/system/sysinit.target.wants/lab-modules-builtin.service"
}

# prepare: tools on this machine, then the rootfs from the cache tarball, or built and cached
prepare() {
  local need="" c
  for c in debootstrap systemd-nspawn ssh ssh-keygen zstd; do command -v "$c" >/dev/null || need=1; done
  if [ -n "$need" ]; then
    log "installing debootstrap systemd-container openssh-client zstd"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap systemd-container openssh-client zstd >&2
  fi
  mkdir -p "$LAB" "$CACHE"
  [ -f "$ROOTFS.ready" ] && [ -d "$ROOTFS" ] && return 0
  local tarball=$CACHE/rootfs-bookworm-$RECIPE_HASH.tar.zst tmp=$ROOTFS.tmp
  rm -rf "$tmp"; mkdir -p "$tmp"
  if [ -f "$tarball" ]; then
    log "unpacking cached rootfs $tarball"
    tar -C "$tmp" --numeric-owner --xattrs --acls -I zstd -xf "$tarball"
  else
    log "building rootfs (debootstrap, ~1 min) for recipe $RECIPE_HASH"
    build_rootfs "$tmp"
    tar -C "$tmp" --numeric-owner --xattrs --acls -I 'zstd -T0 -10' -cf "$tarball.part" .
    mv "$tarball.part" "$tarball"
    find "$CACHE" -maxdepth 1 -name 'rootfs-bookworm-*.tar.zst' ! -name "${tarball##*/}" -delete
  fi
  rm -rf "$ROOTFS"; mv "$tmp" "$ROOTFS"; touch "$ROOTFS.ready"
  log "rootfs ready: $ROOTFS"
}
