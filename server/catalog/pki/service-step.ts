import { sh } from '../../connectors/shell-quote';
import { daemonReload, unitState } from '../common';
import type { KxContext, KxStep } from '../common';

/**
 * Enable and (re)start a unit. Earlier steps set `restartFlag` in the host cache when they changed a binary, config or
 * unit file; without it, an enabled and active unit is left alone (the step is skipped).
 */
export function enableAndRestartStep(options: { name: string; unit: string; restartFlag: string; noBlock?: boolean; before?: (ctx: KxContext) => Promise<void> }): KxStep {
  const { unit, restartFlag } = options;
  return {
    name: options.name,
    check: async (ctx) => {
      if (ctx.cache.get(restartFlag) === true) return false;
      const state = await unitState(ctx, unit);
      return state.enabled && state.active;
    },
    run: async (ctx) => {
      await daemonReload(ctx);
      await options.before?.(ctx);
      await ctx.sudo(sh`systemctl enable -- ${unit}`);
      await ctx.sudo(options.noBlock ? sh`systemctl restart --no-block -- ${unit}` : sh`systemctl restart -- ${unit}`);
      ctx.cache.delete(restartFlag);
    },
  };
}
