import { sh } from '../../connectors/shell-quote';
import type { HostContext } from '../../engine';
import { filesToWrite, writeFileIfChanged, type WantedFile } from './files';
import { parseUnitShow, type UnitState } from './systemd';

/**
 * A restart a changed binary, config or unit file needs is recorded on the host, never in the run's memory: the marker
 * is written before the change and removed after the restart, so a run killed in between leaves it for the next run.
 */
export const RESTART_DIR = '/var/lib/kubexms/restart';

export const restartMarker = (unit: string): string => `${RESTART_DIR}/${unit}`;

/** Call before changing anything the running unit has loaded. */
export async function markRestart(ctx: HostContext, unit: string): Promise<void> {
  await ctx.sudo(sh`mkdir -p -- ${RESTART_DIR} && : > ${restartMarker(unit)}`, { quiet: true, label: `record on the host that ${unit} must restart` });
}

export async function clearRestart(ctx: HostContext, unit: string): Promise<void> {
  await ctx.sudo(sh`rm -f -- ${restartMarker(unit)}`, { quiet: true, label: `${unit} restarted: remove its restart marker` });
}

/** Removes the marker and, when empty, its directories (reset). */
export async function forgetRestart(ctx: HostContext, unit: string): Promise<void> {
  await ctx.sudo(sh`rm -f -- ${restartMarker(unit)}; rmdir -- ${RESTART_DIR} /var/lib/kubexms 2>/dev/null; true`, { quiet: true });
}

export type ServiceState = UnitState & { restartPending: boolean };

/** The unit's state and whether a restart is pending on the host, in one round trip. */
export async function serviceState(ctx: HostContext, unit: string): Promise<ServiceState> {
  const res = await ctx.exec(sh`systemctl show -p LoadState -p ActiveState -p UnitFileState -- ${unit}; [ -e ${restartMarker(unit)} ] && echo KxRestartPending=yes; true`, {
    quiet: true,
  });
  return { ...parseUnitShow(res.stdout), restartPending: /^KxRestartPending=yes$/m.test(res.stdout) };
}

/** Writes the files a unit loads that are missing or differ, marking the restart first; true when anything changed. */
export async function writeUnitFiles(ctx: HostContext, unit: string, files: readonly WantedFile[]): Promise<boolean> {
  const stale = await filesToWrite(ctx, files);
  if (stale.length === 0) return false;
  await markRestart(ctx, unit);
  for (const f of stale) await writeFileIfChanged(ctx, f.path, f.content, f.mode);
  return true;
}
