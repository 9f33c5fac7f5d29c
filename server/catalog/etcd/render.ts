import { isIP } from 'node:net';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import { etcdMembers } from '../pki/etcd-pki';

export const ETCD_PATHS = {
  bin: '/usr/local/bin',
  dataDir: '/var/lib/etcd',
  sslDir: '/etc/ssl/etcd/ssl',
  unit: '/etc/systemd/system/etcd.service',
} as const;

export const ETCD_FILES = {
  ca: `${ETCD_PATHS.sslDir}/ca.pem`,
  server: `${ETCD_PATHS.sslDir}/server.pem`,
  serverKey: `${ETCD_PATHS.sslDir}/server-key.pem`,
  peer: `${ETCD_PATHS.sslDir}/peer.pem`,
  peerKey: `${ETCD_PATHS.sslDir}/peer-key.pem`,
  admin: `${ETCD_PATHS.sslDir}/admin.pem`,
  adminKey: `${ETCD_PATHS.sslDir}/admin-key.pem`,
  apiserverClient: `${ETCD_PATHS.sslDir}/apiserver-etcd-client.pem`,
  apiserverClientKey: `${ETCD_PATHS.sslDir}/apiserver-etcd-client-key.pem`,
} as const;

type Member = { name: string; address: string; internalAddress?: string | undefined };

export const memberIp = (m: Member) => m.internalAddress ?? m.address;
const urlHost = (a: string) => (isIP(a) === 6 ? `[${a}]` : a);
export const peerUrl = (m: Member) => `https://${urlHost(memberIp(m))}:2380`;
export const clientUrl = (m: Member) => `https://${urlHost(memberIp(m))}:2379`;

export function initialCluster(spec: Pick<ClusterSpec, 'hosts'>): string {
  return etcdMembers(spec).map((m) => `${m.name}=${peerUrl(m)}`).join(',');
}

export function clientEndpoints(spec: Pick<ClusterSpec, 'hosts'>): string[] {
  return etcdMembers(spec).map(clientUrl);
}

// systemd splits ExecStart on whitespace and expands %: allow only characters that need neither quoting nor escaping.
const SAFE_ARG = /^[A-Za-z0-9._:,=/[\]-]+$/;

function flag(name: string, value: string): string {
  const arg = `--${name}=${value}`;
  if (!SAFE_ARG.test(arg)) throw new Error(`etcd flag ${name} has characters a systemd unit cannot carry safely: ${JSON.stringify(value)}`);
  return arg;
}

export type EtcdUnitOptions = { state: 'new' | 'existing'; arch?: string };

type EtcdSection = Partial<ClusterSpec['etcd']>;

/** The data directory the spec names (KubeKey's etcd.dataDir), /var/lib/etcd by default. */
export const etcdDataDir = (spec: { etcd?: EtcdSection }) => spec.etcd?.dataDir ?? ETCD_PATHS.dataDir;

/** KubeKey's etcd tuning fields as etcd flags; unset fields keep etcd's own defaults. */
export function tuningFlags(etcd: EtcdSection = {}): string[] {
  const opt = (name: string, v: string | number | undefined) => (v === undefined ? [] : [flag(name, String(v))]);
  return [
    ...opt('heartbeat-interval', etcd.heartbeatInterval),
    ...opt('election-timeout', etcd.electionTimeout),
    flag('snapshot-count', String(etcd.snapshotCount ?? 10_000)),
    flag('auto-compaction-retention', String(etcd.autoCompactionRetention ?? 8)),
    ...opt('metrics', etcd.metrics),
    ...opt('quota-backend-bytes', etcd.quotaBackendBytes),
    ...opt('max-request-bytes', etcd.maxRequestBytes),
    ...opt('max-snapshots', etcd.maxSnapshots),
    ...opt('max-wals', etcd.maxWals),
    ...opt('log-level', etcd.logLevel),
  ];
}

export function renderEtcdUnit(spec: Pick<ClusterSpec, 'hosts' | 'name'> & { etcd?: EtcdSection }, memberName: string, options: EtcdUnitOptions): string {
  const m = etcdMembers(spec).find((h) => h.name === memberName);
  if (!m) throw new Error(`${memberName} is not an etcd member`);
  const ip = memberIp(m);
  const listenHost = isIP(ip) ? urlHost(ip) : '0.0.0.0';
  const flags = [
    flag('name', m.name),
    flag('data-dir', etcdDataDir(spec)),
    flag('listen-client-urls', `https://${listenHost}:2379,https://127.0.0.1:2379`),
    flag('advertise-client-urls', clientUrl(m)),
    flag('listen-peer-urls', `https://${listenHost}:2380`),
    flag('initial-advertise-peer-urls', peerUrl(m)),
    flag('initial-cluster', initialCluster(spec)),
    flag('initial-cluster-state', options.state),
    flag('initial-cluster-token', `kubexms-${spec.name}`),
    flag('client-cert-auth', 'true'),
    flag('trusted-ca-file', ETCD_FILES.ca),
    flag('cert-file', ETCD_FILES.server),
    flag('key-file', ETCD_FILES.serverKey),
    flag('peer-client-cert-auth', 'true'),
    flag('peer-trusted-ca-file', ETCD_FILES.ca),
    flag('peer-cert-file', ETCD_FILES.peer),
    flag('peer-key-file', ETCD_FILES.peerKey),
    ...tuningFlags(spec.etcd),
  ];
  const env = options.arch && options.arch !== 'amd64' ? `Environment=ETCD_UNSUPPORTED_ARCH=${options.arch}\n` : '';
  return `[Unit]
Description=etcd member ${m.name} (installed by kubexms)
Documentation=https://etcd.io
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
${env}ExecStart=${ETCD_PATHS.bin}/etcd \\
  ${flags.join(' \\\n  ')}
Restart=always
RestartSec=5
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
}

/** etcdctl against the given endpoints with the admin client cert; bounded dial and command timeouts. */
export function etcdctlArgs(endpoints: readonly string[], extra: { dialTimeout?: string; commandTimeout?: string } = {}): string[] {
  return [
    `${ETCD_PATHS.bin}/etcdctl`,
    `--endpoints=${endpoints.join(',')}`,
    `--cacert=${ETCD_FILES.ca}`,
    `--cert=${ETCD_FILES.admin}`,
    `--key=${ETCD_FILES.adminKey}`,
    `--dial-timeout=${extra.dialTimeout ?? '2s'}`,
    `--command-timeout=${extra.commandTimeout ?? '5s'}`,
  ];
}
