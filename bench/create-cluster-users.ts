// createCluster --until etcd on 3 lab hosts as root, as kxuser (sudo with a password) and as kxnopw (NOPASSWD sudo):
// wall time per run, hosts reset (untimed) before each. Usage: KUBEXMS_LAB_HOSTS=13,14,15 npx tsx bench/create-cluster-users.ts [--rounds=2]
import { labHosts } from '../e2e/hosts/fixture';
import { ensureMirror } from '../e2e/mirror/serve';
import { createAppRunner } from '../server/app-runner';
import { readRunRow } from '../server/db/runs';
import { installSpecInput, type LabUser } from '../server/runner/testing/install-spec';
import { createCluster } from '../server/services/clusters/create-cluster';
import { testEnv, tester } from '../server/services/testing/test-env';
import { parseFlags } from './lib/stats';

const rounds = Number(parseFlags(process.argv.slice(2)).get('rounds') ?? 2);
const USERS: LabUser[] = ['root', 'kxuser', 'kxnopw'];
const [hosts, mirror] = await Promise.all([labHosts(3), ensureMirror()]);
const env = testEnv();
const runner = createAppRunner({ db: env.db, secretBox: env.secretBox, dataDir: env.dir });
runner.recover();

async function run(clusterId: number, pipeline: string, until?: 'etcd'): Promise<number> {
  const t0 = performance.now();
  const { runId } = await runner.start({ clusterId, pipeline, ...(until ? { until } : {}) });
  await runner.whenEnded(runId);
  const row = readRunRow(env.db, runId)!;
  if (row.status !== 'succeeded') throw new Error(`${pipeline} run #${runId}: ${row.status} ${row.statusReason ?? ''}`);
  return performance.now() - t0;
}

const ids = Object.fromEntries(USERS.map((u) => [u, createCluster(env, { spec: installSpecInput(`bench-${u}-${process.pid}`, hosts, { user: u, mirror: mirror.url }) }, tester).id])) as Record<LabUser, number>;
// warm-up: the artifact cache of the data dir is filled once, outside the measurement
await run(ids.root, 'createCluster', 'etcd');
const times: Record<LabUser, number[]> = { root: [], kxuser: [], kxnopw: [] };
for (let r = 0; r < rounds; r++) {
  for (const u of [...USERS.slice(r % 3), ...USERS.slice(0, r % 3)]) {
    await run(ids[u], 'resetCluster');
    times[u].push(await run(ids[u], 'createCluster', 'etcd'));
  }
}
await run(ids.root, 'resetCluster');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(`\ncreateCluster --until etcd, 3 lab hosts (${hosts.map((h) => h.name).join(', ')}), ${rounds} run(s) each, warm artifact cache\n`);
console.log('| user | how sudo runs | runs (s) | median |');
console.log('| --- | --- | --- | --- |');
const how: Record<LabUser, string> = { root: 'no sudo', kxuser: 'sudo -S, password on stdin', kxnopw: 'sudo -n' };
for (const u of USERS) {
  const t = [...times[u]].sort((a, b) => a - b);
  const median = (t[Math.floor((t.length - 1) / 2)]! + t[Math.floor(t.length / 2)]!) / 2;
  console.log(`| ${u} | ${how[u]} | ${times[u].map(s).join(', ')} | ${s(median)} |`);
}
await runner.stop(1000);
await mirror.close();
env.close();
