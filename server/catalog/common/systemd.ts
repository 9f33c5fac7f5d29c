import { sh } from '../../connectors/shell-quote';
import type { HostContext } from '../../engine';

export type UnitState = { loaded: boolean; active: boolean; enabled: boolean; activeState: string; unitFileState: string };

export function parseUnitShow(text: string): UnitState {
  const props = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const activeState = props.get('ActiveState') ?? 'unknown';
  const unitFileState = props.get('UnitFileState') ?? '';
  return {
    loaded: props.get('LoadState') === 'loaded',
    active: activeState === 'active' || activeState === 'reloading',
    enabled: unitFileState === 'enabled' || unitFileState === 'enabled-runtime',
    activeState,
    unitFileState,
  };
}

/** One round trip: is the unit known, running, enabled at boot. */
export async function unitState(ctx: HostContext, unit: string): Promise<UnitState> {
  const res = await ctx.exec(sh`systemctl show -p LoadState -p ActiveState -p UnitFileState -- ${unit}`, { quiet: true });
  return parseUnitShow(res.stdout);
}

export async function daemonReload(ctx: HostContext): Promise<void> {
  await ctx.sudo('systemctl daemon-reload');
}

/** Stops and disables a unit if it is known; a missing unit is not an error. Returns whether it was loaded. */
export async function stopAndDisable(ctx: HostContext, unit: string): Promise<boolean> {
  const state = await unitState(ctx, unit);
  if (!state.loaded) return false;
  await ctx.sudo(sh`systemctl disable --now -- ${unit}`);
  return true;
}
