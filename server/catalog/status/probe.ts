import { sh } from '../../connectors/shell-quote';
import type { ComponentStatus, EtcdMemberStatus, HostStatus, StatusComponent } from '../../contracts/cluster-status';
import { certDumpScript, KUBEADM_PKI_DIR, parseCertDump } from '../common/cert-expiry';
import { parseOsRelease } from '../common/os-release';
import { parseUnitShow } from '../common/systemd';
import type { ClusterSpec, SpecHost } from '../common/types';
import { CONTAINERD_PATHS } from '../containerd/render';
import { containerdArtifacts } from '../containerd/versions';
import { CONTAINERD_ROLES } from '../containerd/tasks';
import { clientUrl, ETCD_FILES, ETCD_PATHS, etcdctlArgs, etcdDataDir } from '../etcd/render';
import { K8S_PATHS } from '../kubernetes/render';

type Expected = { name: StatusComponent; spec: string; unit: string | null; binary: string; versionArgs: string[] };

const hasAny = (host: Pick<SpecHost, 'roles'>, roles: readonly string[]) => host.roles.some((r) => roles.includes(r));

/** The components kubexms installs on a host with these roles, at the spec's versions. */
export function expectedComponents(spec: ClusterSpec, host: Pick<SpecHost, 'roles'>): Expected[] {
  const out: Expected[] = [];
  if (hasAny(host, CONTAINERD_ROLES)) {
    const a = containerdArtifacts(spec);
    out.push({ name: 'containerd', spec: a.containerd.version, unit: 'containerd.service', binary: `${CONTAINERD_PATHS.bin}/containerd`, versionArgs: ['--version'] });
    out.push({ name: 'runc', spec: a.runc.version, unit: null, binary: CONTAINERD_PATHS.runc, versionArgs: ['--version'] });
  }
  if (host.roles.includes('etcd')) {
    out.push({ name: 'etcd', spec: spec.etcd.version, unit: 'etcd.service', binary: `${ETCD_PATHS.bin}/etcd`, versionArgs: ['--version'] });
  }
  if (hasAny(host, ['control-plane', 'worker'])) {
    out.push({ name: 'kubelet', spec: spec.kubernetes.version, unit: 'kubelet.service', binary: `${K8S_PATHS.bin}/kubelet`, versionArgs: ['--version'] });
    out.push({ name: 'kubeadm', spec: spec.kubernetes.version, unit: null, binary: `${K8S_PATHS.bin}/kubeadm`, versionArgs: ['version', '-o', 'short'] });
  }
  return out;
}

export const ETCD_CERTS = Object.values(ETCD_FILES);

export function dataDirs(spec: ClusterSpec, host: Pick<SpecHost, 'roles'>): string[] {
  return [
    ...(host.roles.includes('etcd') ? [etcdDataDir(spec)] : []),
    ...(hasAny(host, CONTAINERD_ROLES) ? ['/var/lib/containerd', '/var/lib/kubelet'] : []),
  ];
}

const mark = (section: string) => sh`printf '\n@@kx %s\n' ${section}; `;

/** Everything the status reads from one host, as one shell script (one round trip, run with sudo). */
export function statusScript(spec: ClusterSpec, host: SpecHost): string {
  const parts = [mark('os'), 'cat /etc/os-release 2>/dev/null; ', mark('kernel'), 'uname -r; '];
  const expected = expectedComponents(spec, host);
  for (const c of expected) parts.push(mark(`version ${c.name}`), sh`[ -x ${c.binary} ] && ${c.binary} ${c.versionArgs} 2>&1 | head -n 1; `);
  const units = ['containerd.service', 'etcd.service', 'kubelet.service'];
  parts.push(mark('units'), sh`systemctl show -p Id -p LoadState -p ActiveState -p UnitFileState -- ${units} 2>/dev/null; `);
  if (host.roles.includes('etcd')) {
    const ctl = etcdctlArgs([clientUrl(host)], { dialTimeout: '1s', commandTimeout: '2s' });
    const ready = sh`[ -x ${ctl[0]!} ] && [ -r ${ETCD_FILES.admin} ]`;
    parts.push(mark('etcd-status'), `${ready} && ${sh`${ctl} endpoint status -w json`} 2>&1; `);
    parts.push(mark('etcd-health'), `${ready} && ${sh`${ctl} endpoint health`} 2>&1; `);
  }
  const dirs = dataDirs(spec, host);
  if (dirs.length > 0) parts.push(mark('disk'), sh`for d in ${dirs}; do [ -d "$d" ] && df -Pk -- "$d" | awk -v d="$d" 'NR==2 {print d "\t" $2 "\t" $4}'; done; `);
  parts.push(mark('certs'), certDumpScript(ETCD_CERTS, [KUBEADM_PKI_DIR]), '; true');
  return parts.join('');
}

function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const chunks = text.split(/\n@@kx /);
  for (const chunk of chunks.slice(1)) {
    const nl = chunk.indexOf('\n');
    out.set(nl < 0 ? chunk : chunk.slice(0, nl), nl < 0 ? '' : chunk.slice(nl + 1));
  }
  return out;
}

/** "containerd github.com/containerd/containerd v1.7.24 abc" → "v1.7.24"; "etcd Version: 3.4.23" → "3.4.23" */
export function versionFrom(line: string): string | null {
  return /\bv?\d+\.\d+\.\d+[^\s,]*/.exec(line)?.[0] ?? null;
}


function units(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of text.split(/\n\s*\n/)) {
    const id = /^Id=(.+)$/m.exec(block)?.[1]?.trim();
    if (!id) continue;
    const u = parseUnitShow(block);
    out.set(id, u.loaded ? u.activeState : 'not-found');
  }
  return out;
}

const hexId = (decimal: string | undefined) => (decimal ? BigInt(decimal).toString(16) : null);

// member ids are uint64: read them as text, JSON numbers would lose precision past 2^53
export function parseEtcd(statusText: string | undefined, healthText: string | undefined): EtcdMemberStatus {
  const status = statusText ?? '';
  const memberId = hexId(/"member_id":(\d+)/.exec(status)?.[1]);
  const leaderId = hexId(/"leader":(\d+)/.exec(status)?.[1]);
  const dbSize = /"dbSize":(\d+)/.exec(status)?.[1];
  const healthy = /is healthy/.test(healthText ?? '');
  const errorLine = (t: string) => t.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('[') && !l.startsWith('{')).pop() ?? null;
  return {
    memberId,
    leaderId,
    isLeader: memberId !== null && memberId === leaderId,
    healthy,
    dbSizeBytes: dbSize ? Number(dbSize) : null,
    version: /"version":"([^"]+)"/.exec(status)?.[1] ?? null,
    error: healthy ? null : (errorLine(healthText ?? '') ?? errorLine(status) ?? 'etcdctl is not installed or has no client certificate'),
  };
}

/** Parses statusScript's output into the host's status (reachable: it answered). */
export function parseStatus(spec: ClusterSpec, host: SpecHost, stdout: string, now = new Date()): HostStatus {
  const s = sections(stdout);
  const unitStates = units(s.get('units') ?? '');
  const components: ComponentStatus[] = expectedComponents(spec, host).map((c) => ({
    name: c.name,
    installed: versionFrom(s.get(`version ${c.name}`) ?? ''),
    spec: c.spec,
    unit: c.unit,
    service: c.unit ? (unitStates.get(c.unit) ?? 'unknown') : null,
  }));
  const disks = (s.get('disk') ?? '').split('\n').flatMap((line) => {
    const [path, size, free] = line.split('\t');
    return path && size && free ? [{ path, sizeBytes: Number(size) * 1024, freeBytes: Number(free) * 1024 }] : [];
  });
  const os = parseOsRelease(s.get('os') ?? '');
  return {
    name: host.name,
    address: host.address,
    roles: [...host.roles],
    reachable: true,
    error: null,
    os: os.prettyName || null,
    kernel: (s.get('kernel') ?? '').trim() || null,
    components,
    etcd: host.roles.includes('etcd') ? parseEtcd(s.get('etcd-status'), s.get('etcd-health')) : null,
    certs: parseCertDump(s.get('certs') ?? '', now),
    disks,
  };
}
