import { readFile } from 'node:fs/promises';
import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import { fileMatches, writeFileIfChanged } from '../common';
import type { KxContext, KxStep } from '../common';
import { artifactFor } from '../common/host-artifacts';
import { cniPlugin, renderCniManifest } from './manifest';
import { withEncapsulation } from './encapsulation';
import type { CniOptions } from './manifest';

const KUBECTL = ['/usr/local/bin/kubectl', '--kubeconfig=/etc/kubernetes/admin.conf'];

async function manifest(ctx: KxContext, options: CniOptions): Promise<string> {
  const plugin = cniPlugin(ctx.runtime.spec, options);
  const art = await artifactFor(ctx, plugin.artifact);
  const local = art.files[plugin.file];
  if (!local) throw new StepError('internal', `${plugin.artifact.component} ${plugin.artifact.version} has no ${plugin.file}`);
  return withEncapsulation(ctx.runtime.spec, renderCniManifest(ctx.runtime.spec, await readFile(local, 'utf8')));
}

export function applyCni(options: CniOptions = {}): KxStep {
  return {
    name: 'Apply the CNI manifest',
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
