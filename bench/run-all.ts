import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { figureRows, readFigures } from './lib/figures';
import { parseFlags, table } from './lib/stats';

const SCENARIOS = ['engine-overhead', 'scale', 'storage', 'live-view'] as const;
const argv = process.argv.slice(2);
const flags = parseFlags(argv);
const only = flags.get('only')?.split(',') ?? [...SCENARIOS];
const passOn = argv.filter((a) => a === '--full' || a.startsWith('--port='));
const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const file = `${resultsDir}${new Date().toISOString().replace(/[:.]/g, '-')}.txt`;
const figuresFile = file.replace(/\.txt$/, '.figures.jsonl');

const version = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout || r.stderr || `${cmd} missing`}`.split('\n')[0]!.trim();
};
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
// The issue's method: load < 1 before each scenario. The previous scenario's own hosts keep the 1-minute average up for
// a while after they stop, so wait for it (checked every 5 s, at most --settle=S seconds, default 120; 0 = do not wait).
const settleSeconds = Number(flags.get('settle') ?? 120);
async function settle(): Promise<string> {
  const t0 = performance.now();
  while (loadavg()[0]! >= 1 && performance.now() - t0 < settleSeconds * 1000) await new Promise((r) => setTimeout(r, 5000));
  const waited = Math.round((performance.now() - t0) / 1000);
  return loadavg()[0]! < 1 ? (waited ? `, after ${waited} s of waiting for it under 1` : '') : `, still ≥ 1 after ${waited} s of waiting`;
}

async function out(text: string) {
  process.stdout.write(text);
  await appendFile(file, text);
}

function runScenario(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}.ts`, ...passOn], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, KUBEXMS_BENCH_FIGURES: figuresFile },
    });
    child.stdout.on('data', (b: Buffer) => void out(b.toString()));
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

await mkdir(resultsDir, { recursive: true });
await out(
  `kubexms bench ${new Date().toISOString()} ${passOn.includes('--full') ? '(full sizes)' : '(default sizes; --full for more runs and Ansible at 100 hosts)'}\n` +
    `node ${process.version}, ${version('ssh', ['-V'])}, ${version('ansible-playbook', ['--version'])}, parallel-ssh ${version('parallel-ssh', ['--version'])}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores\n`,
);
let failed = 0;
for (const name of SCENARIOS.filter((s) => only.includes(s))) {
  if (name === 'live-view' && !existsSync(`${root}.next/BUILD_ID`)) {
    await out(`\n[live-view skipped: no production build, run \`npm run build\` first]\n`);
    continue;
  }
  const waited = await settle();
  await out(`\n=== ${name} (load average before: ${load()}${waited}) ===\n`);
  const t0 = performance.now();
  const code = await runScenario(name);
  if (code !== 0) failed += 1;
  await out(`[${name}: exit ${code}, ${((performance.now() - t0) / 1000).toFixed(0)} s, load average after: ${load()}]\n`);
}
await out(`\n=== issue #20: every figure against its target (load average now: ${load()}) ===\n\n${table(['figure', 'measured', 'target', 'verdict'], figureRows(readFigures(figuresFile)))}\n`);
await out(`\nresults saved in ${file}\n`);
process.exitCode = failed ? 1 : 0;
