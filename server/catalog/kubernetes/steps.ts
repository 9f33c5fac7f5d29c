import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import { clearRestart, daemonReload, markRestart, readRemoteFile, removePaths, serviceState, unitState, writeFileIfChanged, writeUnitFiles } from '../common';
import type { KxContext, KxStep } from '../common';
import { ETCD_APISERVER_CLIENT } from '../pki/etcd-pki';
import { placeFiles, placementsInPlace } from '../common/host-artifacts';
import type { Placement } from '../common/host-artifacts';
import { etcdPkiFor } from '../pki/runtime-pki';
import { ETCD_FILES } from '../etcd/render';
import { filesInPlace, pkiPlaceholders, writeFiles } from '../etcd/steps';
import { controlPlaneEndpoint, K8S_PATHS, MADE_AT_RUN_TIME, parseJoinCommand, renderKubeadmInitConfig, renderKubeadmJoinConfig, renderKubeletDropIn, renderKubeletUnit, endpointEntry, withHostsBlock } from './render';
import { certificateKeyFor, joinCredentials, publishKubeconfig, setJoinCredentials } from './secrets';

export const KUBECTL = [`${K8S_PATHS.bin}/kubectl`, `--kubeconfig=${K8S_PATHS.adminConf}`];
const KUBEADM = `${K8S_PATHS.bin}/kubeadm`;
const KUBELET = 'kubelet.service';

export function kubePlacements(version: string): Placement[] {
  return ['kubeadm', 'kubelet', 'kubectl'].map((b) => ({ artifact: { component: b, version }, file: b, remote: `${K8S_PATHS.bin}/${b}` }));
}

export function installKubeBinaries(version: string): KxStep {
  const placements = kubePlacements(version);
  return {
    name: 'Install kubeadm, kubelet and kubectl',
    check: (ctx) => placementsInPlace(ctx, placements),
    run: async (ctx) => {
      await markRestart(ctx, KUBELET);
      await placeFiles(ctx, placements);
    },
  };
}

/** A kubelet already running (a rerun, an upgrade) restarts onto changed files; one not running yet is left to kubeadm. */
export const restartKubeletIfChanged: KxStep = {
  name: 'Restart kubelet if its files changed',
  check: async (ctx) => !(await serviceState(ctx, KUBELET)).restartPending,
  run: async (ctx) => {
    await daemonReload(ctx);
    await ctx.sudo(sh`systemctl try-restart -- ${KUBELET}`);
    await clearRestart(ctx, KUBELET);
  },
};

const kubeletFiles = [
  { path: K8S_PATHS.kubeletUnit, content: renderKubeletUnit(), mode: 0o644 },
  { path: K8S_PATHS.kubeletDropIn, content: renderKubeletDropIn(), mode: 0o644 },
];

export const configureKubelet: KxStep = {
  name: 'Configure and enable kubelet',
  writes: () => kubeletFiles,
  check: async (ctx) => (await filesInPlace(ctx, kubeletFiles)) && (await unitState(ctx, 'kubelet.service')).enabled,
  run: async (ctx) => {
    await writeUnitFiles(ctx, KUBELET, kubeletFiles);
    await daemonReload(ctx);
    // kubeadm starts kubelet once its config exists
    await ctx.sudo('systemctl enable kubelet.service');
  },
};

async function wantedHosts(ctx: KxContext): Promise<{ current: string; wanted: string }> {
  const current = (await readRemoteFile(ctx, '/etc/hosts')) ?? '';
  const joined = ctx.runtime.spec.kubernetes.controlPlaneEndpoint.internalLoadbalancer !== undefined && (await readRemoteFile(ctx, K8S_PATHS.kubeletConf)) !== null;
  return { current, wanted: withHostsBlock(current, endpointEntry(ctx.runtime.spec, ctx.host, joined)) };
}

export const endpointInEtcHosts: KxStep = {
  name: 'Resolve the control-plane endpoint in /etc/hosts',
  // after the run every host has joined
  writes: ({ spec, host }) => {
    const entry = endpointEntry(spec, host, true);
    const block = withHostsBlock('', entry);
    return [{ path: '/etc/hosts', mode: 0o644, kind: 'block', content: entry ? block : '', merge: (current) => withHostsBlock(current, entry), note: entry ? 'a block kubexms owns in the file' : 'externalDNS: no entry' }];
  },
  check: async (ctx) => {
    const { current, wanted } = await wantedHosts(ctx);
    return current === wanted;
  },
  run: async (ctx) => void (await writeFileIfChanged(ctx, '/etc/hosts', (await wantedHosts(ctx)).wanted, 0o644)),
};

async function etcdClientFiles(ctx: KxContext) {
  const pki = await etcdPkiFor(ctx.runtime);
  const client = pki.certs.get(ETCD_APISERVER_CLIENT);
  if (!client) throw new StepError('internal', 'etcd PKI has no apiserver client certificate');
  return [
    { path: ETCD_FILES.ca, content: pki.ca, mode: 0o644 },
    { path: ETCD_FILES.apiserverClient, content: client.cert, mode: 0o644 },
    { path: ETCD_FILES.apiserverClientKey, content: client.key, mode: 0o600 },
  ];
}

export const distributeEtcdClientCerts: KxStep = {
  name: 'Distribute the API server etcd client certificate',
  writes: () => pkiPlaceholders([{ path: ETCD_FILES.ca, mode: 0o644 }, { path: ETCD_FILES.apiserverClient, mode: 0o644 }, { path: ETCD_FILES.apiserverClientKey, mode: 0o600 }]),
  check: async (ctx) => filesInPlace(ctx, await etcdClientFiles(ctx)),
  run: async (ctx) => void (await writeFiles(ctx, await etcdClientFiles(ctx))),
};

const nodeRegistered = async (ctx: KxContext, name: string) =>
  (await ctx.exec(sh`${KUBECTL} get node ${name}`, { sudo: true, quiet: true })).exitCode === 0;

export const kubeadmInit: KxStep = {
  name: 'kubeadm init (first control plane)',
  writes: ({ spec }) => [{ path: K8S_PATHS.initConfig, content: renderKubeadmInitConfig(spec, MADE_AT_RUN_TIME), mode: 0o600, note: 'InitConfiguration, ClusterConfiguration, KubeletConfiguration, KubeProxyConfiguration' }],
  check: async (ctx) => (await readRemoteFile(ctx, K8S_PATHS.adminConf)) !== null && (await nodeRegistered(ctx, ctx.host.name)),
  run: async (ctx) => {
    const config = renderKubeadmInitConfig(ctx.runtime.spec, await certificateKeyFor(ctx.runtime));
    await writeFileIfChanged(ctx, K8S_PATHS.initConfig, config, 0o600);
    await ctx.sudo(sh`${KUBEADM} init ${`--config=${K8S_PATHS.initConfig}`} --upload-certs`, { label: 'kubeadm init --upload-certs' });
  },
  timeoutMs: 15 * 60_000,
};

export const fetchKubeconfig: KxStep = {
  name: 'Fetch the admin kubeconfig',
  check: async () => false,
  run: async (ctx) => {
    const kubeconfig = (await ctx.download(K8S_PATHS.adminConf, { sudo: true })).toString('utf8');
    if (!kubeconfig.includes('client-key-data')) throw new StepError('command', `${K8S_PATHS.adminConf} on ${ctx.host.name} is not an admin kubeconfig`);
    publishKubeconfig(ctx.runtime, kubeconfig);
    ctx.log('admin kubeconfig fetched');
  },
};

/** Hosts of the cluster that still have to join (read on the first control plane through the API). */
async function pendingJoins(ctx: KxContext): Promise<string[]> {
  const others = ctx.runtime.hosts.filter((h) => h.name !== ctx.host.name && (h.roles.includes('control-plane') || h.roles.includes('worker')));
  const pending: string[] = [];
  for (const h of others) if (!(await nodeRegistered(ctx, h.name))) pending.push(h.name);
  return pending;
}

export const createJoinCredentials: KxStep = {
  name: 'Create join credentials',
  check: async (ctx) => (await pendingJoins(ctx)).length === 0,
  run: async (ctx) => {
    const pending = new Set(await pendingJoins(ctx));
    if (ctx.runtime.hosts.some((h) => pending.has(h.name) && h.roles.includes('control-plane'))) {
      // uploaded control-plane certs expire after two hours: upload them again for this run's joins
      const config = renderKubeadmInitConfig(ctx.runtime.spec, await certificateKeyFor(ctx.runtime));
      await writeFileIfChanged(ctx, K8S_PATHS.initConfig, config, 0o600);
      await ctx.sudo(sh`${KUBEADM} init phase upload-certs --upload-certs ${`--config=${K8S_PATHS.initConfig}`}`, { quiet: true, label: 'kubeadm init phase upload-certs' });
    }
    const res = await ctx.sudo(sh`${KUBEADM} token create --ttl=2h --print-join-command`, { quiet: true, label: 'kubeadm token create' });
    setJoinCredentials(ctx.runtime, parseJoinCommand(res.stdout));
    ctx.log(`join token created for ${[...pending].join(', ')}`);
  },
};

export const kubeadmJoin: KxStep = {
  name: 'kubeadm join',
  writes: ({ spec, host }) => {
    const h = spec.hosts.find((x) => x.name === host.name);
    if (!h) return [];
    const join = { apiServerEndpoint: controlPlaneEndpoint(spec), token: MADE_AT_RUN_TIME, caCertHashes: [`sha256:${MADE_AT_RUN_TIME}`] };
    const key = h.roles.includes('control-plane') ? MADE_AT_RUN_TIME : null;
    return [{ path: K8S_PATHS.joinConfig, content: renderKubeadmJoinConfig(spec, h, join, key), mode: 0o600, transient: true, note: 'removed after kubeadm join' }];
  },
  check: async (ctx) => (await readRemoteFile(ctx, K8S_PATHS.kubeletConf)) !== null && (await unitState(ctx, 'kubelet.service')).active,
  run: async (ctx) => {
    const host = ctx.runtime.spec.hosts.find((h) => h.name === ctx.host.name);
    if (!host) throw new StepError('internal', `${ctx.host.name} is not in the spec`);
    const key = host.roles.includes('control-plane') ? await certificateKeyFor(ctx.runtime) : null;
    const config = renderKubeadmJoinConfig(ctx.runtime.spec, host, joinCredentials(ctx.runtime), key);
    await writeFileIfChanged(ctx, K8S_PATHS.joinConfig, config, 0o600);
    try {
      await ctx.sudo(sh`${KUBEADM} join ${`--config=${K8S_PATHS.joinConfig}`}`, { label: 'kubeadm join' });
    } finally {
      await removePaths(ctx, [K8S_PATHS.joinConfig]);
    }
  },
  timeoutMs: 15 * 60_000,
};

