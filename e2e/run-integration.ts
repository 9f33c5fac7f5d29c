// Runs every *.itest.ts with node's test runner, in the groups of e2e/integration-groups.ts, each on its own lab hosts
// (KUBEXMS_LAB_HOSTS), so a suite that installs etcd or regenerates a host key never meets another suite's leftovers.
// Groups with disjoint hosts run at the same time (KUBEXMS_IT_PARALLEL, default 3); each group's output is held and
// printed whole when it ends, so groups never interleave. `npm run test:integration -- <filter>` runs only the files
// whose path contains a filter, and fails when none does.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { GROUPS, type IntegrationGroup } from './integration-groups';

const ROOT = path.resolve(import.meta.dirname, '..');
/** A hang fails its test instead of stalling CI (a whole catalog file on three users takes a few minutes). */
const TEST_TIMEOUT_MS = 20 * 60_000;
const PARALLEL = Math.max(1, Number(process.env.KUBEXMS_IT_PARALLEL ?? 3) || 3);

function find(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return find(rel);
    return rel.endsWith('.itest.ts') ? [rel] : [];
  });
}

const hostsOf = (g: IntegrationGroup) => g.hosts.split(',').map((h) => Number(h.trim()));
for (const g of GROUPS) {
  const bad = hostsOf(g).filter((i) => !Number.isInteger(i) || i < 1 || i > 40 || (i >= 21 && i <= 23));
  if (bad.length > 0) throw new Error(`integration group "${g.name}": lab hosts must be 1..40 and not the demo's 21-23, got ${bad.join(',')}`);
}

const only = process.argv.slice(2);
const files = ['server', 'e2e'].flatMap(find).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
if (files.length === 0) {
  console.error(`no integration file matches ${only.map((o) => `"${o}"`).join(' or ')}`);
  process.exit(1);
}
const assigned = new Map<IntegrationGroup, string[]>();
for (const f of files) {
  const group = GROUPS.find((g) => g.match.test(f));
  if (!group) throw new Error(`${f} is in no integration group (e2e/integration-groups.ts)`);
  assigned.set(group, [...(assigned.get(group) ?? []), f]);
}

type Result = { group: IntegrationGroup; files: number; code: number; seconds: number };
const seconds = (since: number) => Math.round((Date.now() - since) / 1000);

function runGroup(group: IntegrationGroup, list: string[]): Promise<Result> {
  const started = Date.now();
  console.log(`-> ${group.name} (lab hosts ${group.hosts}): ${list.length} file(s) started`);
  const args = ['--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-reporter=spec', ...list];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBEXMS_LAB_HOSTS: group.hosts } });
  const out: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => out.push(b));
  return new Promise((resolve) => {
    child.on('close', (c, signal) => {
      const code = c ?? (signal ? 1 : 0);
      const verdict = code === 0 ? 'passed' : `FAILED (exit ${code})`;
      process.stdout.write(`\n## ${group.name} (lab hosts ${group.hosts}): ${list.length} file(s)\n${Buffer.concat(out).toString()}`);
      console.log(`<- ${group.name}: ${verdict} in ${seconds(started)} s\n`);
      resolve({ group, files: list.length, code, seconds: seconds(started) });
    });
  });
}

// Longest-known groups are not known ahead, so start in the listed order; a group waits while one sharing a host runs.
const pending = GROUPS.filter((g) => assigned.has(g));
const running = new Set<IntegrationGroup>();
const results: Result[] = [];
const startedAll = Date.now();
await new Promise<void>((done) => {
  const next = () => {
    if (pending.length === 0 && running.size === 0) return done();
    for (const g of [...pending]) {
      if (running.size >= PARALLEL) break;
      const busy = new Set([...running].flatMap(hostsOf));
      if (hostsOf(g).some((h) => busy.has(h))) continue;
      pending.splice(pending.indexOf(g), 1);
      running.add(g);
      void runGroup(g, assigned.get(g)!).then((r) => {
        results.push(r);
        running.delete(g);
        next();
      });
    }
  };
  next();
});

const failed = results.filter((r) => r.code !== 0);
console.log(`integration groups (${PARALLEL} at a time), ${seconds(startedAll)} s in all:`);
for (const r of results) console.log(`  ${r.code === 0 ? 'passed' : 'FAILED'}  ${String(r.seconds).padStart(5)} s  ${r.group.name} (${r.files} file(s), hosts ${r.group.hosts})`);
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length === 0 ? 0 : 1);
