import type { Client } from 'ssh2';
import { directCommand } from '../server/connectors/ssh-channel';
import { ansibleInventoryPath } from './light-hosts/state';
import { closeMasters, runAnsible, runPssh, writeHostsFile, writePlaybook } from './lib/openssh-tools';
import { lend, runEngine, trivialPipeline } from './lib/kubexms-run';
import { execRaw } from './lib/raw-ssh';
import { closeRawFleet, openRawFleet, sshConnector, warmConnectors } from './lib/ssh-fleet';
import { ensureHosts, releaseHosts, workDir } from './lib/session';
import { figure, figureRows } from './lib/figures';
import { fmt, median, numberList, parseFlags, table, timed } from './lib/stats';
import type { TrivialStep } from './lib/workload';
import { trivialSteps } from './lib/workload';

const VARIANTS = ['floor', 'floor+wrap', 'kubexms', 'floor-cold', 'kubexms-cold', 'pssh', 'ansible', 'mitogen'] as const;
type Variant = (typeof VARIANTS)[number];

const flags = parseFlags(process.argv.slice(2));
const full = flags.has('full');
const sizes = numberList(flags.get('hosts'), [3, 20, 100]);
const stepCount = Number(flags.get('steps') ?? 20);
const only = new Set((flags.get('only')?.split(',') ?? VARIANTS) as Variant[]);
const runsFor = (h: number) => Number(flags.get('runs') ?? (full ? (h >= 100 ? 3 : 5) : h >= 100 ? 2 : 3));
// Ansible needs ~2 min per run at 20 hosts on 2 cores (~10 min at 100): fewer runs, and none at 100 without --full
const ansibleRunsFor = (h: number) =>
  Math.min(runsFor(h), Number(flags.get('ansible-runs') ?? (h >= 100 ? (full ? 1 : 0) : h >= 20 && !full ? 1 : runsFor(h))));

async function rawWorkload(clients: readonly Client[], steps: readonly TrivialStep[], wrap: boolean) {
  let n = 0;
  const cmd = (c: string) => (wrap ? directCommand(c, `bench.${++n}.`, false) : c);
  await Promise.all(
    clients.map(async (c) => {
      for (const s of steps) if ((await execRaw(c, cmd(s.check))) !== 0) await execRaw(c, cmd(s.run));
    }),
  );
}

type Row = { h: number; variant: Variant; seconds: number[]; note: string };

async function measureSize(h: number): Promise<Row[]> {
  const { hosts, clientKey } = await ensureHosts(h);
  const key = clientKey.toString('utf8');
  const dir = await workDir();
  const rows = new Map<Variant, Row>();
  const add = (variant: Variant, seconds: number, note = '') => {
    const row = rows.get(variant) ?? { h, variant, seconds: [], note };
    row.seconds.push(seconds);
    if (note) row.note = note;
    rows.set(variant, row);
  };
  const clients = await openRawFleet(hosts, clientKey);
  const warm = await warmConnectors(hosts, key);
  const hostsFile = await writeHostsFile(dir, hosts);
  try {
    if (only.has('ansible') || only.has('mitogen') || only.has('pssh')) await runPssh(hostsFile, h, trivialSteps(1)); // opens the persistent masters
    for (let r = 0; r < runsFor(h); r++) {
      const steps = trivialSteps(stepCount);
      const pipeline = trivialPipeline(steps, h);
      if (only.has('floor')) add('floor', await timed(() => rawWorkload(clients, steps, false)));
      if (only.has('floor+wrap')) add('floor+wrap', await timed(() => rawWorkload(clients, steps, true)));
      if (only.has('kubexms')) {
        let note = '';
        add('kubexms', await timed(async () => {
          const s = await runEngine(hosts, pipeline, (host) => lend(warm[hosts.indexOf(host.data!)]!));
          note = `${s.events} events, max ${s.maxRunning} running`;
        }), note);
      }
      if (only.has('floor-cold')) {
        add('floor-cold', await timed(async () => {
          const cold = await openRawFleet(hosts, clientKey);
          await rawWorkload(cold, steps, false);
          await closeRawFleet(cold);
        }));
      }
      if (only.has('kubexms-cold')) add('kubexms-cold', await timed(() => runEngine(hosts, pipeline, (host) => sshConnector(host.data!, key))));
      if (only.has('pssh')) add('pssh', await timed(() => runPssh(hostsFile, h, steps)));
      if (only.has('ansible') && r < ansibleRunsFor(h)) add('ansible', await timed(async () => runAnsible(await writePlaybook(dir, steps), ansibleInventoryPath, hosts)));
      if (only.has('mitogen') && r < ansibleRunsFor(h)) add('mitogen', await timed(async () => runAnsible(await writePlaybook(dir, steps), ansibleInventoryPath, hosts, { mitogen: true })));
      process.stderr.write(`H=${h} run ${r + 1}/${runsFor(h)} done\n`);
    }
  } finally {
    await closeRawFleet(clients);
    await Promise.all(warm.map((c) => c.close()));
    await closeMasters(hosts);
  }
  return [...rows.values()];
}

const BASE: Partial<Record<Variant, Variant>> = { 'floor+wrap': 'floor', kubexms: 'floor', 'kubexms-cold': 'floor-cold', pssh: 'floor', ansible: 'floor', mitogen: 'floor' };

function report(all: Row[]): string {
  const med = (h: number, v: Variant) => median(all.find((r) => r.h === h && r.variant === v)?.seconds ?? []);
  const rows = all.map((r) => {
    const m = median(r.seconds);
    const base = BASE[r.variant];
    const commands = r.h * stepCount * 2;
    return [r.variant, String(r.h), String(r.seconds.length), fmt(m, 3), base ? `${fmt(m / med(r.h, base))} × ${base}` : '', fmt(med(r.h, 'ansible') / m, 1), fmt(med(r.h, 'mitogen') / m, 1), fmt(commands / m, 0), r.note];
  });
  return table(['scenario', 'H', 'runs', 'median s', 'ratio', 'ansible/this', 'mitogen/this', 'cmds/s', 'note'], rows);
}

/** The rows this scenario measures (ratios of medians measured side by side, run by run). */
function figures(all: Row[]): string {
  const med = (h: number, v: Variant) => median(all.find((r) => r.h === h && r.variant === v)?.seconds ?? []);
  const out = [];
  for (const h of sizes) {
    const k = med(h, 'kubexms');
    const ratio = k / med(h, 'floor');
    if ((h === 3 || h === 20) && Number.isFinite(ratio)) out.push(figure(`engine-${h}`, `${fmt(ratio)} × (floor+wrap ${fmt(med(h, 'floor+wrap') / med(h, 'floor'))} ×)`, ratio <= 1.15));
    for (const [v, min] of [['ansible', 50], ['mitogen', 10]] as const) {
      const r = med(h, v) / k;
      if (!Number.isFinite(r)) continue;
      if (h === 3 || h === 20) out.push(figure(`${v}-${h}`, `${fmt(r, 1)} ×`, r >= min));
    }
  }
  return table(['figure', 'measured', 'target', 'verdict'], figureRows(out).filter((r) => r[3] !== 'not measured'));
}

const results = await (async () => {
  const all: Row[] = [];
  try {
    await ensureHosts(Math.max(...sizes));
    for (const h of sizes) all.push(...(await measureSize(h)));
  } finally {
    await releaseHosts();
  }
  return all;
})();
console.log(`\nScenario 1 — engine overhead: H hosts × ${stepCount} steps (check + run = ${stepCount * 2} commands per host), concurrency H\n`);
console.log(report(results));
console.log(`\nTargets (issue #20)\n\n${figures(results)}`);
