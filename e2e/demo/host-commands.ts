import { sandboxIndex, sandboxScript, SANDBOX_INDICES } from './sandbox';

export const BREAK_KINDS = { cut: 'cut', crash: 'crash', sshd: 'stop-sshd' } as const;
export type BreakKind = keyof typeof BREAK_KINDS;

const hostNames = SANDBOX_INDICES.map((i) => `n${i}`).join(', ');

function indexOf(host: string | undefined): number {
  const i = host ? sandboxIndex(host) : null;
  if (i === null) throw new Error(`name a sandbox host: ${hostNames}`);
  return i;
}

async function script(args: string[]): Promise<void> {
  const res = await sandboxScript(args, { echo: true });
  if (res.code !== 0) throw new Error(`sandbox.sh ${args.join(' ')} failed (exit ${res.code})`);
}

/** Breaks a host on purpose: cut its link, kill its PID 1, or stop its sshd. */
export async function breakHost(host: string | undefined, kind = 'cut'): Promise<string> {
  const i = indexOf(host);
  if (!(kind in BREAK_KINDS)) throw new Error(`break how? one of: ${Object.keys(BREAK_KINDS).join(', ')}`);
  await script([BREAK_KINDS[kind as BreakKind], String(i)]);
  return `n${i}: ${kind === 'cut' ? 'link cut (unreachable)' : kind === 'crash' ? 'crashed (PID 1 killed)' : 'sshd stopped (connection refused)'}; undo with: npm run demo -- fix n${i}`;
}

/** Undoes any break: heals the link, then starts sshd, or boots the host again if it crashed. */
export async function fixHost(host: string | undefined): Promise<string> {
  const i = indexOf(host);
  await sandboxScript(['heal', String(i)]);
  const sshd = await sandboxScript(['start-sshd', String(i)]);
  if (sshd.code !== 0) await script(['restart', String(i)]);
  return `n${i}: reachable again; retry the failed run from its page`;
}

export async function stopSandbox(): Promise<void> {
  await script(['down']);
}

export function breakHelp(): string[] {
  const [, n] = SANDBOX_INDICES;
  return [
    `break a host on purpose: npm run demo -- break n${n} [cut|crash|sshd]   (undo: npm run demo -- fix n${n})`,
    `  same by hand: bash e2e/demo/sandbox.sh cut ${n} | crash ${n} | stop-sshd ${n}   (undo: heal ${n} | restart ${n} | start-sshd ${n})`,
  ];
}
