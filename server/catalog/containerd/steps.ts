import { posix } from 'node:path';
import { sh } from '../../connectors/shell-quote';
import { CNI_PLUGIN_NAMES } from '../../artifacts';
import { StepError } from '../../engine';
import { markRestart, removePaths, writeUnitFiles } from '../common';
import { enableAndRestartStep } from '../common/service-step';
import type { ClusterSpec, KxContext, KxStep } from '../common';
import { filesMatch, placeFiles, placementsInPlace } from '../common/host-artifacts';
import type { Placement } from '../common/host-artifacts';
import { CONTAINERD_PATHS, renderContainerdConfig, renderContainerdUnit, renderCrictlConfig, renderRegistryHosts } from './render';
import type { ContainerdArtifacts } from './versions';

const UNIT = 'containerd.service';

export function containerdPlacements(a: ContainerdArtifacts): Placement[] {
  return [
    ...['containerd', 'containerd-shim-runc-v2', 'ctr'].map((file) => ({ artifact: a.containerd, file, remote: `${CONTAINERD_PATHS.bin}/${file}` })),
    { artifact: a.runc, file: 'runc', remote: CONTAINERD_PATHS.runc },
    ...CNI_PLUGIN_NAMES.map((file) => ({ artifact: a.cniPlugins, file, remote: `${CONTAINERD_PATHS.cniBin}/${file}` })),
    ...(a.crictl ? [{ artifact: a.crictl, file: 'crictl', remote: `${CONTAINERD_PATHS.bin}/crictl` }] : []),
  ];
}

export function installBinaries(a: ContainerdArtifacts): KxStep {
  const placements = containerdPlacements(a);
  return {
    name: 'Install containerd, runc and CNI plugins',
    check: (ctx) => placementsInPlace(ctx, placements),
    run: async (ctx) => {
      if (!a.crictl) ctx.log('warning: crictl is not installed (none configured for this containerd build); kubeadm needs it on real clusters');
      await markRestart(ctx, UNIT);
      await placeFiles(ctx, placements);
    },
  };
}

type ConfigFile = { path: string; content: string; mode: number };

export function configFiles(spec: ClusterSpec, a: ContainerdArtifacts): ConfigFile[] {
  const hasAuth = Boolean(spec.registry.privateRegistry?.password);
  return [
    { path: CONTAINERD_PATHS.config, content: renderContainerdConfig(spec), mode: hasAuth ? 0o600 : 0o644 },
    ...renderRegistryHosts(spec).map((h) => ({ path: posix.join(CONTAINERD_PATHS.certsDir, h.host, 'hosts.toml'), content: h.content, mode: 0o644 })),
    { path: CONTAINERD_PATHS.unit, content: renderContainerdUnit(), mode: 0o644 },
    ...(a.crictl ? [{ path: CONTAINERD_PATHS.crictlConfig, content: renderCrictlConfig(), mode: 0o644 }] : []),
  ];
}

async function staleHostDirs(ctx: KxContext, files: readonly ConfigFile[]): Promise<string[]> {
  const res = await ctx.exec(sh`ls -1 -- ${CONTAINERD_PATHS.certsDir} 2>/dev/null; true`, { sudo: true, quiet: true });
  const wanted = new Set(files.map((f) => f.path));
  return res.stdout.split('\n').filter(Boolean).map((d) => posix.join(CONTAINERD_PATHS.certsDir, d)).filter((d) => !wanted.has(posix.join(d, 'hosts.toml')));
}

export function writeConfig(a: ContainerdArtifacts): KxStep {
  return {
    name: 'Write containerd config, registry hosts and unit',
    writes: ({ spec }) => configFiles(spec, a),
    check: async (ctx) => {
      const files = configFiles(ctx.runtime.spec, a);
      return (await filesMatch(ctx, files)) && (await staleHostDirs(ctx, files)).length === 0;
    },
    run: async (ctx) => {
      const files = configFiles(ctx.runtime.spec, a);
      await writeUnitFiles(ctx, UNIT, files);
      const stale = await staleHostDirs(ctx, files);
      if (stale.length === 0) return;
      await markRestart(ctx, UNIT);
      await removePaths(ctx, stale);
    },
  };
}

export const enableContainerd = enableAndRestartStep({ name: 'Enable and start containerd', unit: UNIT });

/** the "Server:" section's version line of `ctr version`, or null when the daemon does not answer */
export function ctrServerVersion(output: string): string | null {
  const server = output.split(/^Server:\s*$/m)[1];
  return server ? (/^\s*Version:\s*(\S+)/m.exec(server)?.[1] ?? null) : null;
}

async function probe(ctx: KxContext): Promise<{ version: string | null; detail: string }> {
  const res = await ctx.exec(sh`timeout 10 ${`${CONTAINERD_PATHS.bin}/ctr`} --timeout 5s version`, { sudo: true, quiet: true });
  return { version: ctrServerVersion(res.stdout), detail: (res.stderr || res.stdout).trim().split('\n').pop() ?? '' };
}

export function checkContainerd(options: { timeoutMs?: number } = {}): KxStep {
  return {
    name: 'Check containerd answers (ctr version)',
    check: async (ctx) => (await probe(ctx)).version !== null,
    run: async (ctx) => {
      const deadline = Date.now() + (options.timeoutMs ?? 30_000);
      for (;;) {
        const p = await probe(ctx);
        if (p.version) return void ctx.log(`containerd server ${p.version} answers`);
        if (Date.now() > deadline) {
          throw new StepError('command', `containerd on ${ctx.host.name} does not answer on ${CONTAINERD_PATHS.socket}: ${p.detail || 'no server version'}`);
        }
        await new Promise((r) => setTimeout(r, 500));
        ctx.signal.throwIfAborted();
      }
    },
  };
}
