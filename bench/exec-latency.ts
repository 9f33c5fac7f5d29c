import { directCommand, wrapCommand } from '../server/connectors/ssh-channel';
import { fakeFleet } from '../server/engine/testing/fake-connector';
import type { LightHost } from './light-hosts/state';
import { lend, runEngine, trivialPipeline } from './lib/kubexms-run';
import { execRaw } from './lib/raw-ssh';
import { closeRawFleet, openRawFleet, warmConnectors } from './lib/ssh-fleet';
import { ensureHosts, releaseHosts } from './lib/session';
import { fmt, median, parseFlags, percentile, table } from './lib/stats';
import { trivialSteps } from './lib/workload';


// Serial per-command latency on one warm connection: where kubexms's time per command goes.
const flags = parseFlags(process.argv.slice(2));
const n = Number(flags.get('commands') ?? 200);
const { hosts, clientKey } = await ensureHosts(1);
const [client] = await openRawFleet(hosts, clientKey);
const [connector] = await warmConnectors(hosts, clientKey.toString('utf8'));
const samples: Record<string, number[]> = { raw: [], 'raw + wrapper (sudo, first command)': [], 'raw + direct form (no sudo)': [], 'SshConnector.exec': [], 'engine (per command)': [] };
const time = async (name: string, fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  samples[name]!.push(performance.now() - t);
};
try {
  const wrapped = wrapCommand('true', { kind: 'none' }, false);
  for (let i = 0; i < n; i++) {
    await time('raw', () => execRaw(client!, 'true'));
    await time('raw + wrapper (sudo, first command)', () => execRaw(client!, wrapped));
    await time('raw + direct form (no sudo)', () => execRaw(client!, directCommand('true', `bench.${i}.`, false)));
    await time('SshConnector.exec', () => connector!.exec('true'));
  }
  const steps = trivialSteps(n / 2);
  const t = performance.now();
  await runEngine(hosts, trivialPipeline(steps, 1), () => lend(connector!));
  samples['engine (per command)']!.push((performance.now() - t) / n);
  const fleet = fakeFleet();
  const fakeHosts: LightHost[] = Array.from({ length: 100 }, (_, i) => ({ ...hosts[0]!, name: `fake${i}` }));
  const f = performance.now();
  await runEngine(fakeHosts, trivialPipeline(trivialSteps(20), 100), (h) => fleet.connectorFor(h));
  samples['engine CPU, no I/O (100 hosts × 20 steps, per command)'] = [(performance.now() - f) / (100 * 40)];
} finally {
  await closeRawFleet([client!]);
  await connector!.close();
  await releaseHosts();
}
console.log(`\nOne host, one warm connection, ${n} commands each, serial (ms per command)\n`);
console.log(table(['path', 'p50 ms', 'p90 ms', 'mean ms'], Object.entries(samples).map(([k, v]) => [k, fmt(median(v)), fmt(percentile(v, 90)), fmt(v.reduce((a, b) => a + b, 0) / v.length)])));
