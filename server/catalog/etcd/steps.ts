import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import { fileMatches, markRestart, unitState, writeFileIfChanged, writeUnitFiles } from '../common';
import { enableAndRestartStep } from '../common/service-step';
import type { ClusterSpec, KxContext, KxStep, PlannedFile } from '../common';
import { ETCD_ADMIN_CLIENT } from '../pki/etcd-pki';
import { filesMatch, hostArch, placeFiles, placementsInPlace } from '../common/host-artifacts';
import type { ArtifactNeed, Placement } from '../common/host-artifacts';
import { etcdPkiFor } from '../pki/runtime-pki';
import { clientUrl, ETCD_FILES, ETCD_PATHS, etcdctlArgs, etcdDataDir, peerUrl, renderEtcdUnit } from './render';
import { etcdMembers } from '../pki/etcd-pki';

const UNIT = 'etcd.service';

export function installEtcdBinaries(need: ArtifactNeed): KxStep {
  const placements: Placement[] = ['etcd', 'etcdctl'].map((file) => ({ artifact: need, file, remote: `${ETCD_PATHS.bin}/${file}` }));
  return {
    name: 'Install etcd binaries',
    check: (ctx) => placementsInPlace(ctx, placements),
    run: async (ctx) => {
      await markRestart(ctx, UNIT);
      await placeFiles(ctx, placements);
    },
  };
}

type CertFile = { path: string; content: string; mode: number };

async function memberCertFiles(ctx: KxContext): Promise<CertFile[]> {
  const pki = await etcdPkiFor(ctx.runtime);
  const pair = (name: string) => {
    const p = pki.certs.get(name);
    if (!p) throw new StepError('internal', `etcd PKI has no certificate "${name}"`);
    return p;
  };
  const name = ctx.host.name;
  const contents = [pki.ca, pair(`server-${name}`).cert, pair(`server-${name}`).key, pair(`peer-${name}`).cert, pair(`peer-${name}`).key, pair(ETCD_ADMIN_CLIENT).cert, pair(ETCD_ADMIN_CLIENT).key];
  return MEMBER_CERT_FILES.map((f, i) => ({ ...f, content: contents[i]! }));
}

export const filesInPlace = filesMatch;

export async function writeFiles(ctx: KxContext, files: readonly CertFile[]): Promise<boolean> {
  await ctx.sudo(sh`install -d -m 0700 -- ${ETCD_PATHS.sslDir}`);
  let changed = false;
  for (const f of files) if (await writeFileIfChanged(ctx, f.path, f.content, f.mode)) changed = true;
  return changed;
}

/** certificates and keys come from the cluster's PKI at run time: `spec render` names them, never shows them */
export const pkiPlaceholders = (files: ReadonlyArray<{ path: string; mode: number }>): PlannedFile[] =>
  files.map((f) => ({ path: f.path, mode: f.mode, content: null, note: "from the cluster's etcd PKI at run time; not shown" }));

const MEMBER_CERT_FILES = [
  { path: ETCD_FILES.ca, mode: 0o644 },
  { path: ETCD_FILES.server, mode: 0o644 },
  { path: ETCD_FILES.serverKey, mode: 0o600 },
  { path: ETCD_FILES.peer, mode: 0o644 },
  { path: ETCD_FILES.peerKey, mode: 0o600 },
  { path: ETCD_FILES.admin, mode: 0o644 },
  { path: ETCD_FILES.adminKey, mode: 0o600 },
];

export const distributeEtcdCerts: KxStep = {
  name: 'Distribute etcd certificates',
  writes: () => pkiPlaceholders(MEMBER_CERT_FILES),
  check: async (ctx) => filesInPlace(ctx, await memberCertFiles(ctx)),
  // etcd re-reads its certificate files on every TLS handshake: no restart needed
  run: async (ctx) => void (await writeFiles(ctx, await memberCertFiles(ctx))),
};

export function configureEtcdUnit(joining: ReadonlySet<string>): KxStep {
  const render = (spec: ClusterSpec, name: string, arch: string) => renderEtcdUnit(spec, name, { state: joining.has(name) ? 'existing' : 'new', arch });
  const unit = async (ctx: KxContext) => render(ctx.runtime.spec, ctx.host.name, await hostArch(ctx));
  return {
    name: 'Configure etcd service',
    writes: ({ spec, host, facts }) => [{ path: ETCD_PATHS.unit, content: render(spec, host.name, facts.arch), mode: 0o644 }],
    check: async (ctx) => fileMatches(ctx, ETCD_PATHS.unit, await unit(ctx), 0o644),
    run: async (ctx) => void (await writeUnitFiles(ctx, UNIT, [{ path: ETCD_PATHS.unit, content: await unit(ctx), mode: 0o644 }])),
  };
}

const existingEndpoints = (spec: ClusterSpec, joining: ReadonlySet<string>) => etcdMembers(spec).filter((m) => !joining.has(m.name)).map(clientUrl);

/** Only for members added to a running cluster: `member add` through the existing members before the new one starts. */
export function registerJoiningMember(joining: ReadonlySet<string>): KxStep {
  const list = async (ctx: KxContext) =>
    ctx.run(sh`${etcdctlArgs(existingEndpoints(ctx.runtime.spec, joining))} member list -w simple`, { sudo: true, quiet: true, label: 'etcdctl member list' });
  return {
    name: 'Register new etcd member',
    check: async (ctx) => !joining.has(ctx.host.name) || (await list(ctx)).stdout.includes(peerUrl(etcdMembers(ctx.runtime.spec).find((m) => m.name === ctx.host.name)!)),
    run: async (ctx) => {
      const me = etcdMembers(ctx.runtime.spec).find((m) => m.name === ctx.host.name)!;
      await ctx.sudo(sh`${etcdctlArgs(existingEndpoints(ctx.runtime.spec, joining))} member add ${me.name} ${`--peer-urls=${peerUrl(me)}`}`);
    },
  };
}

export const startEtcd = enableAndRestartStep({
  name: 'Enable and start etcd',
  unit: UNIT,
  // a member's start waits for quorum, which needs its peers, which start on other hosts
  noBlock: true,
  before: async (ctx) => void (await ctx.sudo(sh`install -d -m 0700 -- ${etcdDataDir(ctx.runtime.spec)}`)),
});

async function health(ctx: KxContext): Promise<{ ok: boolean; detail: string; endpoint: string }> {
  const me = etcdMembers(ctx.runtime.spec).find((m) => m.name === ctx.host.name);
  if (!me) throw new StepError('internal', `${ctx.host.name} is not an etcd member`);
  const endpoint = clientUrl(me);
  const res = await ctx.exec(sh`${etcdctlArgs([endpoint], { dialTimeout: '2s', commandTimeout: '4s' })} endpoint health`, { sudo: true, quiet: true });
  const out = `${res.stdout}\n${res.stderr}`;
  const ok = res.exitCode === 0 && /is healthy/.test(out);
  return { ok, endpoint, detail: out.trim().split('\n').filter(Boolean).pop() ?? `exit code ${res.exitCode}` };
}

export function checkEtcdHealth(options: { timeoutMs?: number } = {}): KxStep {
  return {
    name: 'Check etcd health',
    check: async (ctx) => (await health(ctx)).ok,
    run: async (ctx) => {
      const deadline = Date.now() + (options.timeoutMs ?? 60_000);
      for (;;) {
        const h = await health(ctx);
        if (h.ok) return void ctx.log(`etcd member ${ctx.host.name} (${h.endpoint}) is healthy`);
        if (Date.now() > deadline) {
          const unit = await unitState(ctx, UNIT);
          throw new StepError('command', `etcd member ${ctx.host.name} (${h.endpoint}) is not healthy (etcd.service ${unit.activeState}): ${h.detail}`);
        }
        await new Promise((r) => setTimeout(r, 500));
        ctx.signal.throwIfAborted();
      }
    },
  };
}
