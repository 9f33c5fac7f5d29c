import { sh } from '../../connectors/shell-quote';
import { clearRestart, daemonReload, serviceState } from '.';
import type { KxContext, KxStep } from '.';

/**
 * Enable and (re)start a unit. Steps that change its binary, config or unit file mark the restart on the host first
 * (markRestart / writeUnitFiles); without a marker, an enabled and active unit is left alone (the step is skipped).
 */
export function enableAndRestartStep(options: { name: string; unit: string; noBlock?: boolean; before?: (ctx: KxContext) => Promise<void> }): KxStep {
  const { unit } = options;
  return {
    name: options.name,
    check: async (ctx) => {
      const state = await serviceState(ctx, unit);
      return !state.restartPending && state.enabled && state.active;
    },
    run: async (ctx) => {
      await daemonReload(ctx);
      await options.before?.(ctx);
      await ctx.sudo(sh`systemctl enable -- ${unit}`);
      await ctx.sudo(options.noBlock ? sh`systemctl restart --no-block -- ${unit}` : sh`systemctl restart -- ${unit}`);
      await clearRestart(ctx, unit);
    },
  };
}
