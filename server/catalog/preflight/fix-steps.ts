import { raw, sh } from '../../connectors/shell-quote';
import type { FIREWALL_POLICIES } from '../../contracts/cluster-spec';
import type { KxContext, KxStep } from '../common/types';
import { describeSwap, swapIsOff } from './checks';
import { FIREWALL_SCRIPT, fstabSwapLines, parseFirewall, parseSwaps, splitSections } from './facts';
import type { HostFacts } from './facts';
import { recordCheck } from './report';
import { recordOrFail } from './steps';

/** Marks the fstab lines kubexms commented out, so resetCluster can put them back. */
export const FSTAB_MARK = '#kubexms-swap# ';

type SwapState = Pick<HostFacts, 'swapActiveKb' | 'swapDevices' | 'fstabSwapLines'>;

async function readSwap(ctx: KxContext): Promise<SwapState> {
  const res = await ctx.run('echo @@swaps; cat /proc/swaps 2>/dev/null; echo @@fstab; cat /etc/fstab 2>/dev/null; true', { quiet: true });
  const s = splitSections(res.stdout);
  const swaps = parseSwaps(s.get('swaps') ?? []);
  return { swapActiveKb: swaps.reduce((n, x) => n + x.sizeKb, 0), swapDevices: swaps.map((x) => x.device), fstabSwapLines: fstabSwapLines(s.get('fstab') ?? []) };
}

// Third fstab field exactly "swap", line not already a comment.
const FSTAB_SWAP_RE = '^([[:space:]]*[^#[:space:]][^[:space:]]*[[:space:]]+[^[:space:]]+[[:space:]]+swap([[:space:]].*)?)$';

/** fix = false (preflightOnly): report swap as a warning and change nothing. */
export function swapStep(fix: boolean): KxStep {
  const expected = 'off, and no swap line in /etc/fstab';
  return {
    name: 'Disable swap',
    check: async (ctx) => {
      const state = await readSwap(ctx);
      if (!swapIsOff(state)) return false;
      recordCheck(ctx, { check: 'swap', status: 'passed', measured: describeSwap(state), expected });
      return true;
    },
    run: async (ctx) => {
      const before = await readSwap(ctx);
      if (!fix) {
        recordCheck(ctx, { check: 'swap', status: 'warning', measured: describeSwap(before), expected: `${expected} (createCluster turns it off)` });
        return;
      }
      if (before.swapDevices.length) await ctx.sudo('swapoff -a');
      if (before.fstabSwapLines.length) await ctx.sudo(sh`sed -i -E ${`s|${FSTAB_SWAP_RE}|${FSTAB_MARK}\\1|`} /etc/fstab`);
      const after = await readSwap(ctx);
      const ok = swapIsOff(after);
      recordOrFail(ctx, { check: 'swap', status: ok ? 'passed' : 'failed', measured: `was ${describeSwap(before)}; now ${describeSwap(after)}`, expected });
    },
  };
}

async function readFirewall(ctx: KxContext): Promise<HostFacts['firewall']> {
  const res = await ctx.sudo(FIREWALL_SCRIPT, { quiet: true, label: 'detect ufw / firewalld' });
  return parseFirewall(res.stdout.split('\n'));
}

const describeFirewall = (fw: HostFacts['firewall']) => `ufw ${fw.ufw}, firewalld ${fw.firewalld}`;
const anyActive = (fw: HostFacts['firewall']) => fw.ufw === 'active' || fw.firewalld === 'active';

export function firewallStep(policy: (typeof FIREWALL_POLICIES)[number], fix: boolean): KxStep {
  return {
    name: 'Check firewall',
    check: async (ctx) => {
      if (policy !== 'disable' || !fix) return false;
      const fw = await readFirewall(ctx);
      if (anyActive(fw)) return false;
      recordCheck(ctx, { check: 'firewall', status: 'passed', measured: describeFirewall(fw), expected: 'no active firewall (policy: disable)' });
      return true;
    },
    run: async (ctx) => {
      const fw = await readFirewall(ctx);
      const measured = describeFirewall(fw);
      if (!anyActive(fw)) return recordOrFail(ctx, { check: 'firewall', status: 'passed', measured, expected: `no active firewall (policy: ${policy})` });
      if (policy === 'ignore') return recordOrFail(ctx, { check: 'firewall', status: 'warning', measured, expected: 'policy ignore: left as it is; open the cluster ports yourself' });
      if (policy === 'check') {
        return recordOrFail(ctx, { check: 'firewall', status: 'failed', measured, expected: 'no active firewall (policy: check); open the cluster ports or set the policy to disable' });
      }
      if (!fix) return recordOrFail(ctx, { check: 'firewall', status: 'warning', measured, expected: 'no active firewall (createCluster disables it)' });
      if (fw.ufw === 'active') await ctx.sudo('ufw disable');
      if (fw.firewalld === 'active') await ctx.sudo(sh`systemctl disable --now ${raw('firewalld.service')}`);
      const after = await readFirewall(ctx);
      recordOrFail(ctx, { check: 'firewall', status: anyActive(after) ? 'failed' : 'passed', measured: `was ${measured}; now ${describeFirewall(after)}`, expected: 'no active firewall (policy: disable)' });
    },
  };
}

/** resetCluster: uncomments the fstab swap lines that createCluster commented out (swap comes back at the next boot). */
export const restoreFstabSwapStep: KxStep = {
  name: 'Restore fstab swap lines',
  check: async (ctx) => (await ctx.exec(sh`grep -q -F -- ${FSTAB_MARK} /etc/fstab`, { quiet: true })).exitCode !== 0,
  run: async (ctx) => {
    await ctx.sudo(sh`sed -i ${`s|^${FSTAB_MARK}||`} /etc/fstab`);
  },
};
