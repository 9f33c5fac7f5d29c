// Runs every *.itest.ts with node's test runner, in groups that each get their own lab hosts (KUBEXMS_LAB_HOSTS), so a
// suite that installs etcd or regenerates a host key never meets another suite's leftovers. Groups run one after another.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const GROUPS: Array<{ name: string; hosts: string; match: RegExp }> = [
  { name: 'createCluster as root, kxuser, kxnopw', hosts: '13,14,15', match: /^server\/runner\/catalog-run\.itest/ },
  { name: 'runner killed (SIGKILL) between write and restart', hosts: '16,17,18', match: /^server\/cli\/crash-restart\.itest/ },
  { name: 'ssh connector', hosts: '1,2,3', match: /^server\/connectors\// },
  { name: 'catalog: preflight, kernel, pipelines', hosts: '4,5,6', match: /^server\/catalog\/(testing|preflight|kernel|pipelines)/ },
  { name: 'etcd day 2: backup, restore, certificates, rolling', hosts: '34,35,36', match: /^server\/catalog\/etcd\/etcd-day2/ },
  { name: 'kubekey parity: etcd tuning, system', hosts: '25,26,27', match: /^server\/catalog\/(etcd\/etcd-tuning|system\/)/ },
  { name: 'day 2: status, remove nodes', hosts: '30,31,32,33', match: /^server\/(catalog\/(status|remove-nodes)|services\/day2)\// },
  { name: 'catalog: etcd, containerd, kubernetes', hosts: '7,8,9', match: /^server\/catalog\// },
  { name: 'runner, realtime, clusters, cli', hosts: '10,11,12', match: /^server\/(runner|realtime|services|cli)\// },
  { name: 'everything else', hosts: '1,2,3', match: /./ },
];

function find(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return find(rel);
    return rel.endsWith('.itest.ts') ? [rel] : [];
  });
}

const only = process.argv.slice(2);
const files = ['server', 'e2e'].flatMap(find).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
const assigned = new Map<string, string[]>();
for (const f of files) {
  const group = GROUPS.find((g) => g.match.test(f))!;
  assigned.set(group.name, [...(assigned.get(group.name) ?? []), f]);
}

let failed = 0;
let passed = 0;
for (const group of GROUPS) {
  const list = assigned.get(group.name);
  if (!list) continue;
  console.log(`\n## ${group.name} (lab hosts ${group.hosts}): ${list.length} file(s)`);
  const started = Date.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...list], {
      cwd: ROOT, stdio: 'inherit', env: { ...process.env, KUBEXMS_LAB_HOSTS: group.hosts },
    });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  console.log(`## ${group.name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (code === 0) passed++;
  else failed++;
}
console.log(`\nintegration groups: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
