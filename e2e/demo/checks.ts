import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process';
import { sandboxScript } from './sandbox';

export class Refusal extends Error {}

/** Root, a working systemd-nspawn with usable cgroups, a free lab address range; the first miss as one line. */
export async function checkMachine(signal?: AbortSignal): Promise<void> {
  if (process.getuid?.() !== 0) throw new Refusal('the demo needs root (systemd-nspawn, overlay mounts, a bridge): run it as root, e.g. sudo npm run demo');
  if (process.platform !== 'linux') throw new Refusal('the demo needs Linux with systemd-nspawn (Debian/Ubuntu: apt-get install systemd-container)');
  const res = await sandboxScript(['check'], { signal });
  if (res.code !== 0) throw new Refusal(res.stderr.trim().split('\n').at(-1) || `e2e/demo/sandbox.sh check failed (exit ${res.code})`);
}

export function hasProductionBuild(): boolean {
  return existsSync(join(REPO_ROOT, '.next', 'BUILD_ID'));
}

/** Builds the web app once (`npm run build`) when no production build is there. */
export async function ensureBuild(signal?: AbortSignal): Promise<void> {
  if (hasProductionBuild()) return;
  console.log('demo: no production build yet: running npm run build (a few minutes, once)');
  const code = await new Promise<number>((resolve) => {
    const child = spawn('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'], signal, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    child.on('error', () => undefined);
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (signal?.aborted) return;
  if (code !== 0 || !hasProductionBuild()) throw new Refusal(`npm run build failed (exit ${code}): fix the build, then run npm run demo again`);
}
