import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labControl } from '../../../e2e/hosts/fixture';
import { findNeedles, type Needle } from './secret-scan';
import { until } from './util';

export type ControlSample = { samples: number; psRuns: number; hits: string[]; commands: Set<string> };

function procArgs(): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      out.push(fs.readFileSync(`/proc/${pid}/cmdline`).toString().replaceAll('\0', ' '));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

const MIN_PASSES = 3;
const PS_LOOP = 'while [ ! -e "$1/stop" ]; do ps -eo args=; echo "-- sample"; sleep 0.02; done';

/**
 * Two samplers of every process's argv on this machine until stopped: a shell loop running `ps -eo args` with 20 ms
 * pauses, and an in-process reader of /proc/<pid>/cmdline (same pauses). On a loaded machine each pass takes longer.
 */
export function sampleControlNode(needles: readonly Needle[]): { stop: () => Promise<ControlSample> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxms-ps-'));
  const out = fs.openSync(path.join(dir, 'log'), 'w');
  const ps = spawn('sh', ['-c', PS_LOOP, 'ps-loop', dir], { stdio: ['ignore', out, 'ignore'] });
  fs.closeSync(out);
  const psDone = new Promise<void>((resolve) => ps.once('exit', () => resolve()));
  const result: ControlSample = { samples: 0, psRuns: 0, hits: [], commands: new Set() };
  const hit = (text: string) => {
    for (const label of findNeedles(text, needles)) if (!result.hits.includes(label)) result.hits.push(label);
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      const args = procArgs();
      for (const a of args) result.commands.add(a.slice(0, 200));
      hit(args.join('\n'));
      result.samples++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      // a short run on a loaded machine still gets a few passes of each kind
      const psCount = () => (fs.readFileSync(path.join(dir, 'log'), 'utf8').match(/^-- sample$/gm) ?? []).length;
      await until('a few argv samples', () => result.samples >= MIN_PASSES && psCount() >= MIN_PASSES, 30_000);
      running = false;
      fs.writeFileSync(path.join(dir, 'stop'), '');
      await Promise.all([loop, psDone]);
      const log = fs.readFileSync(path.join(dir, 'log'), 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
      result.psRuns = log.split('\n').filter((l) => l === '-- sample').length;
      hit(log);
      return result;
    },
  };
}

const LOG = '/root/.kxms-security-ps.log';
const STOP = '/root/.kxms-security-ps.stop';

/** `ps -eo args` every 20 ms inside lab host i, into a log on the host, until stopHostSampler. */
export async function startHostSampler(i: number): Promise<void> {
  const res = await labControl.exec(i, `rm -f ${STOP} ${LOG}; nohup sh -c 'while [ ! -e ${STOP} ]; do ps -eo args=; echo "-- sample"; sleep 0.02; done' >${LOG} 2>&1 </dev/null &`);
  if (res.code !== 0) throw new Error(`sampler on n${i}: ${res.stderr}`);
}

/** Stops the sampler; returns what it saw and removes its log. */
export async function stopHostSampler(i: number): Promise<{ samples: number; text: string }> {
  const res = await labControl.exec(i, `touch ${STOP}; sleep 0.2; cat ${LOG}; rm -f ${LOG} ${STOP}`);
  return { samples: res.stdout.split('\n').filter((l) => l === '-- sample').length, text: res.stdout };
}
