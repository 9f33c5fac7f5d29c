import { readFile } from 'node:fs/promises';
import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import { fileMatches, writeFileIfChanged } from '../common';
import type { ClusterSpec, KxContext, KxStep } from '../common';
import { artifactFor } from '../common/host-artifacts';
import { cniPlugin, renderCniManifest } from './manifest';
import { withEncapsulation } from './encapsulation';
import type { CniOptions } from './manifest';

const KUBECTL = ['/usr/local/bin/kubectl', '--kubeconfig=/etc/kubernetes/admin.conf'];

/** The upstream manifest as applied on this cluster: pod CIDR, node address, images, encapsulation. */
export const renderCniFile = (spec: ClusterSpec, upstream: string) => withEncapsulation(spec, renderCniManifest(spec, upstream));

async function manifest(ctx: KxContext, options: CniOptions): Promise<string> {
  const plugin = cniPlugin(ctx.runtime.spec, options);
  const art = await artifactFor(ctx, plugin.artifact);
  const local = art.files[plugin.file];
  if (!local) throw new StepError('internal', `${plugin.artifact.component} ${plugin.artifact.version} has no ${plugin.file}`);
  return renderCniFile(ctx.runtime.spec, await readFile(local, 'utf8'));
}

export function applyCni(options: CniOptions = {}): KxStep {
  return {
    name: 'Apply the CNI manifest',
    writes: async ({ spec, artifactText }) => {
      const plugin = cniPlugin(spec, options);
      const what = `${plugin.artifact.component} ${plugin.artifact.version}`;
      const upstream = await artifactText(plugin.artifact, plugin.file).catch((err: unknown) => err as Error);
      if (upstream instanceof Error) return [{ path: plugin.remote, content: null, mode: 0o644, note: `not rendered: the upstream ${what} manifest cannot be read: ${upstream.message}` }];
      return [{ path: plugin.remote, content: renderCniFile(spec, upstream), mode: 0o644, note: `${what}, applied with kubectl` }];
    },
    check: async (ctx) => {
      const plugin = cniPlugin(ctx.runtime.spec, options);
      if (!(await fileMatches(ctx, plugin.remote, await manifest(ctx, options), 0o644))) return false;
      const ds = await ctx.exec(sh`${KUBECTL} -n ${plugin.daemonSet.namespace} get daemonset ${plugin.daemonSet.name}`, { sudo: true, quiet: true });
      return ds.exitCode === 0;
    },
    run: async (ctx) => {
      const plugin = cniPlugin(ctx.runtime.spec, options);
      await writeFileIfChanged(ctx, plugin.remote, await manifest(ctx, options), 0o644);
      await ctx.sudo(sh`${KUBECTL} apply -f ${plugin.remote}`);
    },
  };
}
