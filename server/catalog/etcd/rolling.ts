import { sh } from '../../connectors/shell-quote';
import { clearRestart, daemonReload, markRestart, serviceState } from '../common';
import type { ClusterSpec, KxContext, KxPipeline, KxStep, KxTask } from '../common';
import { etcdMembers } from '../pki/etcd-pki';
import { ETCD_FILES, ETCD_PATHS } from './render';
import { checkEtcdHealth, configureEtcdUnit, distributeEtcdCerts, installEtcdBinaries } from './steps';
import { etcdArtifacts } from './tasks';
import { renewEtcdCerts as renewInStore } from './renew';

const UNIT = 'etcd.service';
/** What a running etcd read at start: when any is newer than the process, the member needs a restart. */
export const ETCD_INPUTS = [`${ETCD_PATHS.bin}/etcd`, ETCD_PATHS.unit, ETCD_FILES.ca, ETCD_FILES.server, ETCD_FILES.serverKey, ETCD_FILES.peer, ETCD_FILES.peerKey];

/**
 * Seconds since the epoch of the main process start and of the newest input file, read on the host: the restart a
 * change needs is derived from the host's own state, so a rerun after any interruption still restarts a stale member.
 */
async function staleness(ctx: KxContext): Promise<{ active: boolean; started: number; newest: number }> {
  const res = await ctx.exec(
    sh`s=$(systemctl show -p ActiveState --value -- ${UNIT}); t=$(systemctl show -p ExecMainStartTimestamp --value -- ${UNIT}); printf '%s\n' "$s"; if [ -n "$t" ]; then date -d "$t" +%s; else echo 0; fi; stat -c %Y -- ${ETCD_INPUTS} 2>/dev/null | sort -n | tail -1`,
    { sudo: true, quiet: true },
  );
  const [state = '', started = '0', newest = '0'] = res.stdout.trim().split('\n');
  return { active: state.trim() === 'active', started: Number(started) || 0, newest: Number(newest) || 0 };
}

/** Restarts when a step marked it on the host (common/restart.ts), or when etcd started before its inputs last changed. */
export const restartIfChanged: KxStep = {
  name: 'Restart the member if its binary, unit or certificates changed',
  check: async (ctx) => {
    if ((await serviceState(ctx, UNIT)).restartPending) return false;
    const s = await staleness(ctx);
    return s.active && s.newest <= s.started;
  },
  run: async (ctx) => {
    await daemonReload(ctx);
    // --no-block: a member that cannot start must not hang the run; the health gate below decides
    await ctx.sudo(sh`systemctl restart --no-block -- ${UNIT}`);
    await clearRestart(ctx, UNIT);
    ctx.log(`restarted etcd on ${ctx.host.name}`);
  },
};

const writeRenewedCerts: KxStep = {
  name: 'Write the renewed certificates',
  check: distributeEtcdCerts.check,
  run: async (ctx) => {
    await markRestart(ctx, UNIT);
    await distributeEtcdCerts.run(ctx);
  },
};

/** A member only counts as back when it answers a quorum read itself. */
const memberBack = (timeoutMs: number): KxStep => ({ ...checkEtcdHealth({ timeoutMs }), name: 'Wait until the member is healthy' });

/** One member at a time (concurrency 1): a member that does not come back fails the task, and the members after it are not touched. */
export function rollingTask(name: string, steps: KxStep[], healthTimeoutMs = 60_000): KxTask {
  return { name, runOnRoles: ['etcd'], concurrency: 1, steps: [...steps, restartIfChanged, memberBack(healthTimeoutMs)] };
}

export type RollOptions = { healthTimeoutMs?: number };

/** Brings every member to the spec's etcd binary and unit (flags, version), one member at a time behind a health gate. */
export function etcdRollingUpdate(spec: ClusterSpec, options: RollOptions = {}): KxPipeline {
  if (etcdMembers(spec).length === 0) throw new RangeError('the cluster has no etcd member');
  const need = etcdArtifacts(spec)[0]!;
  return {
    name: 'etcdRollingUpdate',
    modules: [{ name: 'Roll etcd', tasks: [rollingTask('Update etcd, one member at a time', [installEtcdBinaries(need), configureEtcdUnit(new Set())], options.healthTimeoutMs)] }],
  };
}

const renewStep: KxStep = {
  name: 'Issue new member and client certificates from the cluster CA',
  check: async () => false,
  run: async (ctx) => {
    const renewed = await renewInStore(ctx.runtime);
    for (const r of renewed) ctx.log(`${r.name}: valid until ${r.notAfter.toISOString()}`);
  },
};

/** Renews every member's server and peer certificate and the admin client certificate (same CA), then rolls them out one member at a time. */
export function renewEtcdCertificates(spec: ClusterSpec, options: RollOptions = {}): KxPipeline {
  const first = etcdMembers(spec)[0];
  if (!first) throw new RangeError('the cluster has no etcd member');
  return {
    name: 'renewEtcdCerts',
    modules: [
      { name: 'Renew etcd certificates', tasks: [{ name: 'Renew in the PKI store', runOnRoles: ['etcd'], filter: (h) => h.name === first.name, steps: [renewStep] }] },
      { name: 'Roll out certificates', tasks: [rollingTask('Roll certificates, one member at a time', [writeRenewedCerts], options.healthTimeoutMs)] },
    ],
  };
}

